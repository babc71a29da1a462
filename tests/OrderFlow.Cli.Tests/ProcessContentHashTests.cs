using OrderFlow.Json;
using OrderFlow.Local;
using OrderFlow.Orders;

namespace OrderFlow.Cli.Tests;

/// <summary>
/// An order sent again is a duplicate whatever shape carries it: quantities and prices written as numbers (JSON Lines),
/// or as strings (CSV, the seed's document), are the same order; and orders stored by versions that hashed such strings
/// as strings are still recognised.
/// </summary>
public sealed class ProcessContentHashTests : ProcessTestsBase
{
    [Fact]
    public async Task Process_SameOrdersAsJsonLinesThenCsvThenSeedDocument_AllButTheFirstAreDuplicates()
    {
        var jsonLines = await GenerateAs("orders.jsonl", "jsonl");
        var csv = await GenerateAs("orders.csv", "csv");
        var seed = await GenerateAs("orders.json", "seed");
        Assert.Contains("\"qty\":1", File.ReadAllText(jsonLines), StringComparison.Ordinal);
        Assert.Contains("\"qty\":\"1\"", File.ReadAllText(seed), StringComparison.Ordinal);

        var first = await Process(jsonLines);
        AssertCounts(first.Summary, 300, 300, 0, 0);
        var fromCsv = await Process(csv);
        AssertCounts(fromCsv.Summary, 300, 0, 300, 0);
        var fromSeed = await Process(seed);
        AssertCounts(fromSeed.Summary, 300, 0, 300, 0);
        Assert.Empty(await RejectedMessages());
    }

    [Fact]
    public async Task Process_SameOrderIdWithAnotherQuantityWrittenAsString_IsStillAConflict()
    {
        await Process(_dir.Write("first.jsonl", """{"order-info":{"OrderId":"Q","item-id":"1","qty":2,"unit-price":1.5},"contact-info":{"name":"A","email":"a@example.com"}}""" + "\n"));

        var (_, same, _) = await Process(_dir.Write("same.json", """{"orders":[{"order-info":{"OrderId":"Q","item-id":"1","qty":"2","unit-price":"1.50"},"contact-info":{"name":"A","email":"a@example.com"}}]}"""));
        var (_, other, _) = await Process(_dir.Write("other.json", """{"orders":[{"order-info":{"OrderId":"Q","item-id":"1","qty":"3","unit-price":"1.50"},"contact-info":{"name":"A","email":"a@example.com"}}]}"""));

        AssertCounts(same, 1, 0, 1, 0);
        AssertCounts(other, 1, 0, 0, 1);
        Assert.Equal(JsonValue.Parse("""{"conflicting duplicate":1}"""), other!["rejectedByReason"]);
    }

    [Fact]
    public async Task Process_OrderStoredWithItsHashAsWrittenByAnEarlierVersion_IsADuplicateNotAConflict()
    {
        const string Order = """{"order-info":{"OrderId":"S1","item-id":"101","qty":"2"},"contact-info":{"name":"A","email":"a@example.com"}}""";
        var file = _dir.Write("orders.json", "{\"orders\":[" + Order + "]}");
        AssertCounts((await Process(file)).Summary, 1, 1, 0, 0);
        var asWritten = ContentHash.AsWritten(JsonValue.Parse(Order));
        Assert.NotEqual(ContentHash.Of(JsonValue.Parse(Order)), asWritten);
        await StoreHash("S1", asWritten);

        var (exit, again, stderr) = await Process(file);

        Assert.True(exit == 0, stderr);
        AssertCounts(again, 1, 0, 1, 0);
        Assert.Empty(await RejectedMessages());
    }

    private async Task<string> GenerateAs(string name, string format)
    {
        var file = _dir.Combine(name);
        var result = await CliProcess.RunAsync(null, "generate", "--orders", "300", "--invalid-rate", "0", "--seed", "5", "--format", format, "--out", file);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return file;
    }

    // What an earlier version left in the table: the stored item with the hash it computed.
    private async Task StoreHash(string orderId, string hash)
    {
        await using var cloud = LocalCloud.Open(new LocalCloudOptions { DataDirectory = DataDir });
        var key = JsonObject.Of("OrderId", JsonObject.Of("S", new JsonString(orderId)));
        var stored = await cloud.Tables.ExecuteAsync("GetItem", JsonObject.Of("TableName", new JsonString("orders")).SetItem("Key", key), CancellationToken.None);
        var item = ((JsonObject)stored.Value["Item"]!).SetItem("contentHash", JsonObject.Of("S", new JsonString(hash)));
        var put = await cloud.Tables.ExecuteAsync("PutItem", JsonObject.Of("TableName", new JsonString("orders")).SetItem("Item", item), CancellationToken.None);
        Assert.False(put.Failed, put.Error?.ToString());
    }
}
