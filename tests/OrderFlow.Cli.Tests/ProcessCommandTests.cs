using System.Text;
using OrderFlow.Json;
using OrderFlow.Local;

namespace OrderFlow.Cli.Tests;

/// <summary>OrderFlow's main job through the real command: every file shape, re-processing, and bad input.</summary>
public sealed class ProcessCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string DataDir => _dir.Combine("data");

    private async Task<(int Exit, JsonObject? Summary, string Stderr)> Process(params string[] files)
    {
        var result = await CliProcess.RunAsync(null, ["process", .. files, "--json", "--data-dir", DataDir]);
        var summary = result.Stdout.Trim().Length > 0 && result.Stdout.TrimStart().StartsWith('{') ? (JsonObject)JsonValue.Parse(result.Stdout) : null;
        return (result.ExitCode, summary, result.Stderr);
    }

    private static long N(JsonObject summary, string key) => (long)((JsonNumber)summary[key]!).Value;

    private static void AssertCounts(JsonObject? summary, long orders, long stored, long duplicates, long rejected)
    {
        Assert.NotNull(summary);
        Assert.Equal((orders, stored, duplicates, rejected), (N(summary, "orders"), N(summary, "stored"), N(summary, "duplicates"), N(summary, "rejected")));
    }

    private async Task<List<JsonObject>> RejectedMessages()
    {
        await using var cloud = LocalCloud.Open(new LocalCloudOptions { DataDirectory = DataDir });
        var bodies = new List<JsonObject>();
        while (true)
        {
            var received = await cloud.Queues.ExecuteAsync("ReceiveMessage",
                (JsonObject)JsonValue.Parse("""{"QueueUrl":"orders-rejected","MaxNumberOfMessages":10,"VisibilityTimeout":600}"""), CancellationToken.None);
            var messages = (JsonArray)received.Value["Messages"]!;
            if (messages.Count == 0)
            {
                return bodies;
            }
            bodies.AddRange(messages.Cast<JsonObject>().Select(m => (JsonObject)JsonValue.Parse(((JsonString)m["Body"]!).Value)));
        }
    }

    [Fact]
    public async Task Process_SeedSample_OneStoredOneRejectedBecauseContactInfoIsMissing()
    {
        var (exit, summary, _) = await Process(Path.Combine(AppContext.BaseDirectory, "samples", "seed", "orders.json"));
        Assert.Equal(0, exit);
        AssertCounts(summary, 2, 1, 0, 1);
        var rejection = Assert.Single(await RejectedMessages());
        Assert.Equal(new JsonString("OrderRejected"), rejection["error"]);
        Assert.Contains(((JsonArray)rejection["reasons"]!).Cast<JsonObject>(), r => r["path"] is JsonString { Value: "$.contact-info" } && r["message"] is JsonString { Value: "is required" });
        Assert.Equal(JsonValue.Parse("""{"bucket":"orderflow-inbox","key":"orders.json","position":1}"""), rejection["source"]);
        Assert.Equal(new JsonString("2"), ((JsonObject)((JsonObject)rejection["order"]!)["order-info"]!)["orderId"]);
    }

    private async Task<string> Generate(string name, int count, double invalidRate)
    {
        var file = _dir.Combine(name);
        var result = await CliProcess.RunAsync(null, "generate", "--orders", count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--invalid-rate", invalidRate.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", "42", "--out", file);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return file;
    }

    [Fact]
    public async Task Process_TenThousandOrders_ExactCounts_AndTheSameFileTwiceStoresAndSendsNothingNew()
    {
        var file = await Generate("orders.jsonl", 10_000, 0.1);
        var first = await Process(file);
        Assert.Equal(0, first.Exit);
        AssertCounts(first.Summary, 10_000, 9_000, 0, 1_000);

        var second = await Process(file);
        Assert.Equal(0, second.Exit);
        AssertCounts(second.Summary, 10_000, 0, 9_000, 1_000);
        Assert.Equal(JsonValue.Parse("""{"already rejected":1000}"""), second.Summary!["rejectedByReason"]);
        Assert.Equal(1_000, (await RejectedMessages()).Count);
        await using var cloud = LocalCloud.Open(new LocalCloudOptions { DataDirectory = DataDir });
        var scan = await cloud.Tables.ExecuteAsync("Scan", (JsonObject)JsonValue.Parse("""{"TableName":"orders","ProjectionExpression":"OrderId"}"""), CancellationToken.None);
        Assert.Equal(JsonValue.FromNumber(9_000), scan.Value["Count"]);
    }

    [Theory]
    [InlineData("array.json", """[{"order-info":{"OrderId":"A1","item-id":"1","qty":"1"},"contact-info":{"name":"A","email":"a@example.com"}},{"order-info":{"OrderId":"A2","item-id":"1","qty":0},"contact-info":{"name":"B","email":"b@example.com"}},{"order-info":{"OrderId":"A3","item-id":"2","qty":3},"contact-info":{"name":"C","email":"c@example.com"}}]""")]
    [InlineData("document.json", """{"orders":[{"order-info":{"OrderId":"D1","item-id":"1","qty":"1"},"contact-info":{"name":"A","email":"a@example.com"}},{"order-info":{"OrderId":"D2","item-id":"1","qty":"1"},"contact-info":{"name":"B","email":"not-an-email"}},{"order-info":{"OrderId":"D3","item-id":"2","qty":"2"},"contact-info":{"name":"C","email":"c@example.com"}}]}""")]
    [InlineData("lines.ndjson", "{\"order-info\":{\"OrderId\":\"L1\",\"item-id\":\"1\",\"qty\":1},\"contact-info\":{\"name\":\"A\",\"email\":\"a@example.com\"}}\n{\"order-info\":{\"OrderId\":\"L2\",\"qty\":1},\"contact-info\":{\"name\":\"B\",\"email\":\"b@example.com\"}}\n\n{\"order-info\":{\"OrderId\":\"L3\",\"item-id\":\"2\",\"qty\":2},\"contact-info\":{\"name\":\"C\",\"email\":\"c@example.com\"}}\n")]
    [InlineData("table.csv", "OrderId,item-id,item-desc,qty,unit-price,currency,order-date,status,contact-name,contact-email,phone,country\nC1,101,\"Mug, large\",2,12.50,EUR,2026-11-25,paid,Ann,ann@example.com,,FR\nC2,102,,two,,,,,Bob,bob@example.com,,\nC3,103,,1,,USD,,,Cid,cid@example.com,+1 555 0100,US\n")]
    public async Task Process_EveryFileShape_TwoStoredOneRejected(string name, string content)
    {
        var (exit, summary, stderr) = await Process(_dir.Write(name, content));
        Assert.True(exit == 0, stderr);
        AssertCounts(summary, 3, 2, 0, 1);
        var rejection = Assert.Single(await RejectedMessages());
        Assert.Equal(JsonValue.FromNumber(1), ((JsonObject)rejection["source"]!)["position"]);
    }

    [Fact]
    public async Task Process_SameOrderIdWithOtherContent_IsRejectedAsConflictingDuplicate()
    {
        await Process(_dir.Write("first.json", """[{"order-info":{"OrderId":"X","item-id":"1","qty":1},"contact-info":{"name":"A","email":"a@example.com"}}]"""));
        var (_, summary, _) = await Process(_dir.Write("second.json", """[{"order-info":{"OrderId":"X","item-id":"1","qty":5},"contact-info":{"name":"A","email":"a@example.com"}}]"""));
        AssertCounts(summary, 1, 0, 0, 1);
        Assert.Equal(JsonValue.Parse("""{"conflicting duplicate":1}"""), summary!["rejectedByReason"]);
        var rejection = Assert.Single(await RejectedMessages());
        Assert.Contains("conflicting duplicate", rejection.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_MalformedLineInTheMiddle_FailsNamingTheLine()
    {
        var (exit, summary, _) = await Process(_dir.Write("broken.jsonl", "{\"order-info\":{\"OrderId\":\"1\"}}\n{not json\n"));
        Assert.Equal(1, exit);
        var file = (JsonObject)((JsonArray)summary!["files"]!)[0];
        Assert.Equal(new JsonString("FAILED"), file["status"]);
        Assert.Contains("Line 2", ((JsonString)file["error"]!).Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_UnsupportedFileType_FailsWithClearReason()
    {
        var (exit, summary, _) = await Process(_dir.Write("orders.txt", "hello"));
        Assert.Equal(1, exit);
        Assert.Contains("OrderFile.Unsupported", ((JsonObject)((JsonArray)summary!["files"]!)[0]).ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_MissingFile_ExitsTwo()
    {
        var (exit, _, stderr) = await Process(_dir.Combine("nope.json"));
        Assert.Equal(2, exit);
        Assert.Contains("does not exist", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_HumanSummary_NamesCountsAndWhereRejectionsAre()
    {
        var result = await CliProcess.RunAsync(null, "process", Path.Combine(AppContext.BaseDirectory, "samples", "seed", "orders.json"), "--data-dir", DataDir);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("orders 2, stored 1, duplicates 0, rejected 1 (invalid: 1)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("orders/s", result.Stdout, StringComparison.Ordinal);
    }
}
