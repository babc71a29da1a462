using System.Text;
using OrderFlow.Json;
using OrderFlow.States.Distributed;

namespace OrderFlow.States.Tests.Distributed;

public class JsonLinesReaderTests
{
    private static async Task<List<string>> ReadAllAsync(byte[] content, int chunk = int.MaxValue)
    {
        var values = new List<string>();
        await foreach (var value in JsonLinesReader.ReadAsync(new TrickleStream(content, chunk), CancellationToken.None))
        {
            values.Add(value.ToJsonString());
        }
        return values;
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(1)]
    [InlineData(3)]
    public async Task ReadAsync_BomCrlfBlankLinesAndNoFinalNewline_ReadsEveryValue(int chunk)
    {
        var content = Encoding.UTF8.GetBytes("\uFEFF{\"a\":1}\r\n\r\n  \n{\"b\":\"é\"}\n[1,2]");

        var values = await ReadAllAsync(content, chunk);

        Assert.Equal(["{\"a\":1}", "{\"b\":\"é\"}", "[1,2]"], values);
    }

    [Fact]
    public async Task ReadAsync_LinesLongerThanTheBuffer_AreReadWhole()
    {
        var longText = new string('x', 3_000_000);
        var content = Encoding.UTF8.GetBytes($"{{\"n\":1}}\n{{\"long\":\"{longText}\"}}\n{{\"n\":2}}\n");

        var values = await ReadAllAsync(content, chunk: 40_000);

        Assert.Equal(3, values.Count);
        Assert.Equal(longText, ((JsonString)((JsonObject)JsonValue.Parse(values[1]))["long"]!).Value);
        Assert.Equal("{\"n\":2}", values[2]);
    }

    [Fact]
    public async Task ReadAsync_InvalidUtf8OnLineThree_FailsNamingTheLine()
    {
        var content = Encoding.UTF8.GetBytes("{\"a\":1}\n{\"a\":2}\n{\"name\":\"Ren").Concat(new byte[] { 0xE9, (byte)'"', (byte)'}', (byte)'\n' }).ToArray();

        var error = await Assert.ThrowsAsync<ItemReaderException>(() => ReadAllAsync(content));

        Assert.Contains("Line 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("not valid UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_Utf16File_FailsSayingItMustBeUtf8()
    {
        var content = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("{\"a\":1}\n")).ToArray();

        var error = await Assert.ThrowsAsync<ItemReaderException>(() => ReadAllAsync(content));

        Assert.Contains("must be UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    [InlineData("\uFEFF")]
    public async Task ReadAsync_EmptyOrBlankFile_ReadsNothing(string text)
    {
        Assert.Empty(await ReadAllAsync(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public async Task ReadAsync_MalformedSecondLine_FailsNamingTheLine()
    {
        var error = await Assert.ThrowsAsync<ItemReaderException>(() => ReadAllAsync(Encoding.UTF8.GetBytes("{\"a\":1}\n{\"a\":\n{\"a\":3}\n")));

        Assert.StartsWith("Line 2 of the JSON Lines item file is not valid JSON", error.Message, StringComparison.Ordinal);
    }
}
