using System.Text;
using OrderFlow.Json;
using OrderFlow.States.Distributed;

namespace OrderFlow.States.Tests.Distributed;

public class JsonArrayStreamTests
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    private static async Task<List<string>> ReadAllAsync(byte[] content, string? pointer, int chunk)
    {
        var values = new List<string>();
        await foreach (var value in JsonArrayStream.ReadAsync(new TrickleStream(content, chunk), pointer, CancellationToken.None))
        {
            values.Add(value.ToJsonString());
        }
        return values;
    }

    [Theory]
    [InlineData("[1,{\"a\":2},\"x\"]", null, int.MaxValue)]
    [InlineData("[1,{\"a\":2},\"x\"]", null, 1)]
    [InlineData("[1,{\"a\":2},\"x\"]", null, 2)]
    [InlineData("{\"orders\":[1,{\"a\":2},\"x\"]}", "/orders", int.MaxValue)]
    [InlineData("{\"orders\":[1,{\"a\":2},\"x\"]}", "/orders", 1)]
    public async Task ReadAsync_WithAndWithoutAUtf8ByteOrderMark_SameElements(string json, string? pointer, int chunk)
    {
        var plain = Encoding.UTF8.GetBytes(json);

        var withBom = await ReadAllAsync([.. Bom, .. plain], pointer, chunk);

        Assert.Equal(["1", "{\"a\":2}", "\"x\""], withBom);
        Assert.Equal(withBom, await ReadAllAsync(plain, pointer, chunk));
    }

    [Fact]
    public async Task ReadAsync_ByteOrderMarkAlone_FailsAsAnEmptyFileDoes()
    {
        var empty = await Assert.ThrowsAsync<ItemReaderException>(() => ReadAllAsync([], null, 1));
        var bomOnly = await Assert.ThrowsAsync<ItemReaderException>(() => ReadAllAsync(Bom, null, 1));
        Assert.Equal(empty.Message, bomOnly.Message);
    }

    [Fact]
    public async Task ReadAsync_ByteOrderMarkInTheMiddle_IsMalformed()
    {
        byte[] content = [.. "[1,"u8, .. Bom, .. "2]"u8];
        await Assert.ThrowsAsync<ItemReaderException>(() => ReadAllAsync(content, null, int.MaxValue));
    }
}
