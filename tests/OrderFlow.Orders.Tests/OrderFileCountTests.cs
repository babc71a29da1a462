using System.Text;

namespace OrderFlow.Orders.Tests;

/// <summary>The check counts the orders a readable file holds, as the pipeline reads them (a progress bar's total).</summary>
public sealed class OrderFileCountTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orderflow-count-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<OrderFileReport> Inspect(string name, byte[] content)
    {
        var path = Path.Combine(_dir, name);
        await File.WriteAllBytesAsync(path, content);
        return await OrderFileCheck.InspectAsync(path, CancellationToken.None);
    }

    [Theory]
    [InlineData("a.jsonl", "{\"a\":1}\n\n  \n{\"a\":2}\r\n[3]\n", 3)]
    [InlineData("a.jsonl", "{\"a\":1}", 1)]
    [InlineData("a.ndjson", "\uFEFF{\"a\":1}\n{\"a\":2}\n", 2)]
    [InlineData("a.csv", "OrderId,b\n1,2\n\n3,\"multi\nline\"\n4,5", 3)]
    [InlineData("a.csv", "OrderId,b\r\n", 0)]
    [InlineData("a.json", "[{\"a\":[1,2,{\"b\":[3]}]},[4,5],\"x\",null,6]", 5)]
    [InlineData("a.json", "[]", 0)]
    [InlineData("a.json", "\uFEFF [ {\"a\":1} , {\"a\":2} ]", 2)]
    [InlineData("a.json", "{\"orders\":[{\"a\":1},{\"items\":[{},{}]},{\"a\":3}]}", 3)]
    [InlineData("a.json", "{\"meta\":[1,2,3],\"note\":{\"orders\":[1]},\"orders\":[{},{}],\"after\":[9]}", 2)]
    public async Task InspectAsync_ReadableFile_CountsItsOrders(string name, string content, long expected)
    {
        var report = await Inspect(name, Encoding.UTF8.GetBytes(content));

        Assert.Null(report.Fault);
        Assert.Equal(expected, report.Orders);
    }

    [Fact]
    public async Task InspectAsync_LargeJsonLinesFileCheckedInChunks_CountsEveryLine()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 260_000; i++)
        {
            text.Append("{\"order-info\":{\"OrderId\":\"ORD-").Append(i.ToString("D8", System.Globalization.CultureInfo.InvariantCulture)).Append("\",\"note\":\"").Append(new string('x', 60)).Append("\"}}\n");
            if (i % 1000 == 0)
            {
                text.Append('\n');
            }
        }
        var content = Encoding.UTF8.GetBytes(text.ToString());
        Assert.True(content.Length >= LineChunks.MinimumBytes);

        Assert.Equal(260_000, (await Inspect("large.jsonl", content)).Orders);
    }

    [Theory]
    [InlineData("a.jsonl", "{\"a\":1}\n{bad\n")]
    [InlineData("a.json", "[1,2")]
    [InlineData("a.csv", "OrderId,b\n1\n")]
    public async Task InspectAsync_MalformedFile_FaultAndNoCount(string name, string content)
    {
        var report = await Inspect(name, Encoding.UTF8.GetBytes(content));

        Assert.Equal("OrderFile.Malformed", report.Fault?.Error);
        Assert.Null(report.Orders);
    }

    [Fact]
    public async Task InspectAsync_EmptyFile_EmptyAndNoCount()
    {
        var report = await Inspect("a.jsonl", []);

        Assert.Equal("OrderFile.Empty", report.Fault?.Error);
        Assert.Null(report.Orders);
    }

    [Fact]
    public async Task InspectAsync_OtherType_NoFaultAndNoCount()
    {
        Assert.Equal(new OrderFileReport(null, null), await Inspect("a.txt", "anything"u8.ToArray()));
    }
}
