using System.Text;

namespace OrderFlow.Orders.Tests;

public sealed class OrderFileCheckTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orderflow-check-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<(string Error, string Message)?> Check(string name, byte[] content)
    {
        var path = Path.Combine(_dir, name);
        await File.WriteAllBytesAsync(path, content);
        return await OrderFileCheck.CheckAsync(path, CancellationToken.None);
    }

    private Task<(string Error, string Message)?> Check(string name, string content) => Check(name, Encoding.UTF8.GetBytes(content));

    [Theory]
    [InlineData("a.json", "[{\"a\":1},\n {\"b\":\"x\"}]")]
    [InlineData("a.json", "\uFEFF{\"orders\":[]}")]
    [InlineData("a.jsonl", "{\"a\":1}\r\n\n   \n[1,2]\n")]
    [InlineData("a.ndjson", "{\"a\":\"é\"}")]
    [InlineData("a.csv", "OrderId,b,c\n1,\"x, y\",3\n\n4,\"multi\nline \"\"quoted\"\"\",6\n")]
    [InlineData("a.csv", "\uFEFFOrderId,b\r\n1,2\r\n")]
    [InlineData("a.csv", "\"note, free\",\"OrderId\"\n1,2\n")]
    [InlineData("a.txt", "not checked: the pipeline names the types it reads")]
    public async Task CheckAsync_ReadableFile_IsNull(string name, string content)
    {
        Assert.Null(await Check(name, content));
    }

    [Theory]
    [InlineData("a.jsonl", "{\"a\":1}\n{\"a\":2,}\n", "line 2, column 8: not valid JSON")]
    [InlineData("a.jsonl", "{\"a\":1} {\"a\":2}\n", "line 1, column 9: not valid JSON")]
    [InlineData("a.json", "[\n{\"a\":1},\n{\"a\":", "line 3")]
    [InlineData("a.json", "[1,2]\n]", "line 2, column 1: not valid JSON")]
    [InlineData("a.json", "   \n  ", "no JSON value in the file")]
    [InlineData("a.jsonl", "{\"a\":1}\n{\"a\":\"x\\ud800\"}\n", "line 2, column 6: a string has a \\u escape that is half of a surrogate pair")]
    [InlineData("a.json", "[\n{\"\\udc00\":1}]", "line 2: a string has a \\u escape that is half of a surrogate pair")]
    [InlineData("a.csv", "OrderId,b,c\n1,2\n", "line 2: 2 field(s), but the header has 3: a column is missing")]
    [InlineData("a.csv", "OrderId,b\n1,2,3\n", "line 2: 3 fields, but the header has only 2")]
    [InlineData("a.csv", "OrderId;qty\n1;2\n", "line 1: the header has no OrderId column, so no row would be an order (the columns are OrderId, item-id,")]
    [InlineData("a.csv", "OrderId;qty\n1;2\n", "it looks separated by ';', but CSV order files are separated by commas")]
    [InlineData("a.csv", "OrderId\tqty\n1\t2\n", "it looks separated by '\\t'")]
    [InlineData("a.csv", "orderid,qty\n1,2\n", "\"orderid\" must be spelled OrderId")]
    [InlineData("a.csv", "item-id, OrderId\n1,2\n", "\" OrderId\" must be spelled OrderId (column names are case-sensitive, without spaces around them)")]
    [InlineData("a.csv", "item-id,qty\n1,2\n", "line 1: the header has no OrderId column")]
    [InlineData("a.csv", "\n\nitem-id\n", "line 3: the header has no OrderId column")]
    [InlineData("a.csv", "OrderId,b\n1,\"open\n2,3\n", "line 2: a quoted field is not closed by the end of the file")]
    public async Task CheckAsync_MalformedFile_NamesTheFirstFault(string name, string content, string expected)
    {
        var fault = await Check(name, content);
        Assert.NotNull(fault);
        Assert.Equal("OrderFile.Malformed", fault.Value.Error);
        Assert.Contains(expected, fault.Value.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}", "but this object has no \"orders\" member")]
    [InlineData("{\"meta\":{\"orders\":[1]}}", "but this object has no \"orders\" member")]
    [InlineData("{\"orders\":null}", "but its \"orders\" member is null")]
    [InlineData("{\"orders\":{\"a\":[1]}}", "but its \"orders\" member is an object")]
    [InlineData("42", "but this one holds a number")]
    [InlineData("\"orders\"", "but this one holds a string")]
    [InlineData("{\"exporter\":\"a name long enough to push the orders past the first 64 bytes\",\"orders\":[{}]}", "must be named within its first 64 bytes, where the pipeline looks for it: put it before the other members")]
    public async Task CheckAsync_JsonDocumentWithoutAnArrayOfOrders_IsUnsupportedSayingWhatItHolds(string content, string expected)
    {
        var fault = await Check("a.json", content);

        Assert.NotNull(fault);
        Assert.Equal("OrderFile.Unsupported", fault.Value.Error);
        Assert.Contains("a .json order file", fault.Value.Message, StringComparison.Ordinal);
        Assert.EndsWith(expected + ".", fault.Value.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"meta\":{\"orders\":[1]},\"orders\":[{},{}]}", 2)]
    [InlineData("{\"orders\":[]}", 0)]
    [InlineData("[[1],{\"orders\":[]}]", 2)]
    public async Task InspectAsync_JsonDocumentWithAnArrayOfOrders_CountsItsOrders(string content, long orders)
    {
        var path = Path.Combine(_dir, "a.json");
        await File.WriteAllTextAsync(path, content);

        var report = await OrderFileCheck.InspectAsync(path, CancellationToken.None);

        Assert.Null(report.Fault);
        Assert.Equal(orders, report.Orders);
    }

    [Fact]
    public async Task CheckAsync_EmptyFile_IsEmpty()
    {
        Assert.Equal("OrderFile.Empty", (await Check("a.jsonl", []))?.Error);
    }

    [Theory]
    [InlineData("a.jsonl", "line 2, column 5: not valid UTF-8")]
    [InlineData("a.csv", "line 2, column 5: not valid UTF-8")]
    [InlineData("a.json", "line 2: a string is not valid UTF-8")]
    public async Task CheckAsync_Latin1Text_NamesLineAndColumn(string name, string expected)
    {
        var content = name.EndsWith(".csv", StringComparison.Ordinal) ? "OrderId\n\"Ren\u00e9e\"\n" : name.EndsWith(".json", StringComparison.Ordinal) ? "[\"a\",\n\"Ren\u00e9e\"]" : "\"a\"\n\"Ren\u00e9e\"\n";
        var fault = await Check(name, Encoding.Latin1.GetBytes(content));
        Assert.Contains(expected, fault?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_LineOverTheOrderLimit_IsRefused()
    {
        var fault = await Check("a.jsonl", "\"" + new string('x', OrderFileCheck.MaxOrderBytes) + "\"\n");
        Assert.Contains("line 1: 262,146 bytes, but an order may be at most 256 KiB", fault?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_JsonDocumentWithAStringLargerThanTheReadBuffer_IsRead()
    {
        Assert.Null(await Check("a.json", "[{\"note\":\"" + new string('x', 1 << 20) + "\"},\n{}]"));
    }

    [Fact]
    public async Task CheckAsync_Utf16File_SaysSo()
    {
        var fault = await Check("a.jsonl", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("{}\n")]);
        Assert.Contains("the file is UTF-16", fault?.Message, StringComparison.Ordinal);
    }

    /// <summary>A JSON Lines file large enough to be checked in chunks side by side, with <paramref name="fault"/> as line <paramref name="faultLine"/> (1-based) if given.</summary>
    private static byte[] LargeJsonLines(int lines, int faultLine = 0, byte[]? fault = null)
    {
        var text = new MemoryStream();
        for (var i = 1; i <= lines; i++)
        {
            text.Write(i == faultLine ? fault! : Encoding.UTF8.GetBytes($"{{\"order-info\":{{\"OrderId\":\"ORD-{i:D8}\",\"note\":\"{new string('x', 40)}\"}}}}"));
            text.WriteByte((byte)'\n');
        }
        Assert.True(text.Length >= LineChunks.MinimumBytes);
        return text.ToArray();
    }

    [Fact]
    public async Task CheckAsync_LargeJsonLinesFile_IsReadInChunks()
    {
        var path = Path.Combine(_dir, "large.jsonl");
        await File.WriteAllBytesAsync(path, LargeJsonLines(260_000));
        await using var file = File.OpenRead(path);

        var chunks = await LineChunks.SplitAsync(file, CancellationToken.None);

        Assert.Equal(Math.Min(Environment.ProcessorCount, 8) > 1, chunks is not null);
        Assert.Null(await OrderFileCheck.CheckAsync(path, CancellationToken.None));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(130_001)]
    [InlineData(259_999)]
    public async Task CheckAsync_LargeJsonLinesFileWithOneFault_NamesItsLineInTheFile(int faultLine)
    {
        var fault = await Check("large.jsonl", LargeJsonLines(260_000, faultLine, "{\"order-info\": nope}"u8.ToArray()));

        Assert.Contains($"line {faultLine}, column 17: not valid JSON", fault?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_LargeJsonLinesFileWithAByteOrderMarkWhereAChunkStarts_IsRefusedThere()
    {
        // Every line has the same length, so the line a chunk starts with can be replaced by one as long that begins
        // with a byte order mark: the chunk's reader must take it as text, as the one-pass check does.
        var content = LargeJsonLines(260_000);
        var lineLength = Array.IndexOf(content, (byte)'\n') + 1;
        var path = Path.Combine(_dir, "large.jsonl");
        await File.WriteAllBytesAsync(path, content);
        long start;
        await using (var file = File.OpenRead(path))
        {
            start = (await LineChunks.SplitAsync(file, CancellationToken.None))?[1].Start ?? 199_999L * lineLength;
        }
        byte[] bomLine = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("[\"" + new string('y', lineLength - 8) + "\"]")];
        bomLine.CopyTo(content, start);
        await File.WriteAllBytesAsync(path, content);

        var fault = await OrderFileCheck.CheckAsync(path, CancellationToken.None);

        Assert.Contains($"line {start / lineLength + 1}, column 1: not valid JSON", fault?.Message, StringComparison.Ordinal);
    }
}
