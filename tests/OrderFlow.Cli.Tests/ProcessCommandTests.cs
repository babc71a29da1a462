using System.Text;
using OrderFlow.Json;
using OrderFlow.Local;

namespace OrderFlow.Cli.Tests;

/// <summary>OrderFlow's main job through the real command: every file shape and re-processing.</summary>
public sealed class ProcessCommandTests : ProcessTestsBase
{
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

    [Fact]
    public async Task Process_TenThousandOrders_ExactCounts_AndTheSameFileTwiceStoresAndSendsNothingNew()
    {
        var file = await Generate("orders.jsonl", 10_000, 0.1);
        var first = await Process(file);
        Assert.True(first.Exit == 0, $"exit {first.Exit}: {first.Stderr} {first.Summary?.ToJsonString()}");
        AssertCounts(first.Summary, 10_000, 9_000, 0, 1_000);

        var second = await Process(file);
        Assert.True(second.Exit == 0, $"exit {second.Exit}: {second.Stderr} {second.Summary?.ToJsonString()}");
        AssertCounts(second.Summary, 10_000, 0, 9_000, 1_000);
        Assert.Equal(JsonValue.Parse("""{"already rejected":1000}"""), second.Summary!["rejectedByReason"]);
        Assert.Equal(1_000, (await RejectedMessages()).Count);
        Assert.Equal(9_000, await StoredCount());
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

    [Theory]
    [InlineData("array.json", """[{"order-info":{"OrderId":"B1","item-id":"1","qty":1},"contact-info":{"name":"A","email":"a@example.com"}}]""")]
    [InlineData("document.json", """{"orders":[{"order-info":{"OrderId":"B1","item-id":"1","qty":"1"},"contact-info":{"name":"A","email":"a@example.com"}}]}""")]
    [InlineData("lines.jsonl", "{\"order-info\":{\"OrderId\":\"B1\",\"item-id\":\"1\",\"qty\":1},\"contact-info\":{\"name\":\"A\",\"email\":\"a@example.com\"}}\r\n")]
    [InlineData("table.csv", "OrderId,item-id,qty,contact-name,contact-email\r\nB1,1,1,A,a@example.com\r\n")]
    public async Task Process_EveryFileShapeWithAUtf8ByteOrderMarkAndCrLf_ReadAsWithout(string name, string content)
    {
        // Notepad and PowerShell 5 write a byte order mark; Windows tools end lines with CR LF.
        var file = _dir.Combine(name);
        File.WriteAllBytes(file, [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(content)]);

        var (exit, summary, stderr) = await Process(file);

        Assert.True(exit == 0, $"{stderr} {summary?.ToJsonString()}");
        AssertCounts(summary, 1, 1, 0, 0);
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
    public async Task Process_ConflictingFileTwice_ConflictSentOnceWithItsSourceAndFileOrderedRejectionId()
    {
        // The conflicting order was valid in its batch, which answers valid orders without a verdict; the one-at-a-time
        // path validates it again with its source, so its rejection id names the file and position and stays the same.
        await Process(_dir.Write("first.json", """[{"order-info":{"OrderId":"X","item-id":"1","qty":1},"contact-info":{"name":"A","email":"a@example.com"}}]"""));
        var second = _dir.Write("second.json", """[{"order-info":{"OrderId":"X","item-id":"1","qty":5},"contact-info":{"name":"A","email":"a@example.com"}}]""");
        await Process(second);

        var (_, again, _) = await Process(second);

        AssertCounts(again, 1, 0, 0, 1);
        Assert.Equal(JsonValue.Parse("""{"already rejected":1}"""), again!["rejectedByReason"]);
        var rejection = Assert.Single(await RejectedMessages());
        Assert.Equal(JsonValue.Parse("""{"bucket":"orderflow-inbox","key":"second.json","position":0}"""), rejection["source"]);
        Assert.Matches("^[0-9a-f]{20}#0{12}\\|[0-9a-f]{32}$", ((JsonString)rejection["rejectionId"]!).Value);
    }

    [Fact]
    public async Task Process_OneBatchWithRepeatsConflictAndInvalid_EachCountedOnceWithItsReason()
    {
        // One batch that takes every path after its store: the repeated OrderIds go one at a time (a duplicate, a
        // conflict), the invalid order is rejected with the batch's other rejections.
        var (_, summary, _) = await Process(_dir.Write("mixed.jsonl", """
            {"order-info":{"OrderId":"A","item-id":"1","qty":1},"contact-info":{"name":"A","email":"a@example.com"}}
            {"order-info":{"OrderId":"B","item-id":"2","qty":2},"contact-info":{"name":"B","email":"b@example.com"}}
            {"order-info":{"OrderId":"A","item-id":"1","qty":1},"contact-info":{"name":"A","email":"a@example.com"}}
            {"order-info":{"OrderId":"A","item-id":"1","qty":9},"contact-info":{"name":"A","email":"a@example.com"}}
            {"order-info":{"OrderId":"C","item-id":"3","qty":3}}
            """));

        AssertCounts(summary, 5, 2, 1, 2);
        Assert.Equal(JsonValue.Parse("""{"conflicting duplicate":1,"invalid":1}"""), summary!["rejectedByReason"]);
        Assert.Equal(2, (await RejectedMessages()).Count);
    }

    [Fact]
    public async Task Process_BatchMeetingStoredOrders_DuplicatesCountedTogether_NewStoredTogether_ConflictAlone()
    {
        await Process(_dir.Write("first.jsonl", """
            {"order-info":{"OrderId":"A","item-id":"1","qty":1},"contact-info":{"name":"A","email":"a@example.com"}}
            {"order-info":{"OrderId":"B","item-id":"2","qty":2},"contact-info":{"name":"B","email":"b@example.com"}}
            {"order-info":{"OrderId":"D","item-id":"4","qty":4},"contact-info":{"name":"D","email":"d@example.com"}}
            """));

        // One batch: A and D stored with this content, B stored with other content, E and F new.
        var (exit, summary, stderr) = await Process(_dir.Write("second.jsonl", """
            {"order-info":{"OrderId":"A","item-id":"1","qty":1},"contact-info":{"name":"A","email":"a@example.com"}}
            {"order-info":{"OrderId":"E","item-id":"5","qty":5},"contact-info":{"name":"E","email":"e@example.com"}}
            {"order-info":{"OrderId":"B","item-id":"2","qty":7},"contact-info":{"name":"B","email":"b@example.com"}}
            {"order-info":{"OrderId":"F","item-id":"6","qty":6},"contact-info":{"name":"F","email":"f@example.com"}}
            {"order-info":{"OrderId":"D","item-id":"4","qty":4},"contact-info":{"name":"D","email":"d@example.com"}}
            """));

        Assert.True(exit == 0, stderr);
        AssertCounts(summary, 5, 2, 2, 1);
        Assert.Equal(JsonValue.Parse("""{"conflicting duplicate":1}"""), summary!["rejectedByReason"]);
        Assert.Equal(5, await StoredCount());
        // The batch's result says what the lookup sorted: two stored together, two duplicates together, the conflict alone.
        var execution = ((JsonString)((JsonObject)((JsonArray)summary["files"]!)[0])["execution"]!).Value;
        await using var cloud = LocalCloud.Open(new LocalCloudOptions { DataDirectory = DataDir });
        var listed = await cloud.Buckets.ExecuteAsync("ListObjectsV2", new JsonObjectBuilder(2).Set("Bucket", "orderflow-results").Set("Prefix", $"runs/{execution}/").Build(), CancellationToken.None);
        var results = ((JsonArray)listed.Value["Contents"]!).Cast<JsonObject>().Select(o => ((JsonString)o["Key"]!).Value).Single(k => k.EndsWith("/SUCCEEDED_0.json", StringComparison.Ordinal));
        var opened = await cloud.ObjectStore.OpenReadAsync("orderflow-results", results, CancellationToken.None);
        await using var content = opened.Content!;
        using var reader = new StreamReader(content);
        var entry = (JsonObject)Assert.Single((JsonArray)JsonValue.Parse(await reader.ReadToEndAsync()));
        Assert.Equal(JsonValue.Parse("""{"stored":2,"duplicates":2}"""), JsonObject.Create(entry.Members.Where(m => m.Key != "outcomes")));
        Assert.Contains("conflicting duplicate", entry["outcomes"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_MissingFile_ExitsTwo()
    {
        var (exit, _, stderr) = await Process(_dir.Combine("nope.json"));
        Assert.Equal(2, exit);
        Assert.Contains("does not exist", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_AFolder_ExitsTwoPointingToItsFilesAndWatch()
    {
        var folder = Directory.CreateDirectory(_dir.Combine("inbox")).FullName;
        var (exit, _, stderr) = await Process(folder);
        Assert.Equal(2, exit);
        Assert.Contains("is a folder", stderr, StringComparison.Ordinal);
        Assert.Contains($"orderflow watch {folder}", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_HumanSummary_NamesCountsAndWhereRejectionsAre()
    {
        var result = await CliProcess.RunAsync(null, "process", Path.Combine(AppContext.BaseDirectory, "samples", "seed", "orders.json"), "--data-dir", DataDir);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("orders 2, stored 1, duplicates 0, rejected 1 (invalid: 1)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("orders/s", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("each with its reasons: orderflow dlq summary", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_SeveralAtOnceOnAFreshDataDirectory_EachSetsUpAndStoresItsOrdersOnce()
    {
        // Each run sets the pipeline up on first use; started together, they write its definitions at the same moment.
        var files = Enumerable.Range(0, 4).Select(f => _dir.Write($"f{f}.jsonl", string.Concat(Enumerable.Range(0, 500).Select(i =>
            $"{{\"order-info\":{{\"OrderId\":\"F{f}-{i}\",\"item-id\":\"x\",\"qty\":1}},\"contact-info\":{{\"name\":\"N\",\"email\":\"n@example.com\"}}}}\n")))).ToList();

        var runs = await Task.WhenAll(files.Select(f => Process(f)));

        Assert.All(runs, run => Assert.True(run.Exit == 0, run.Stderr));
        Assert.All(runs, run => AssertCounts(run.Summary, 500, 500, 0, 0));
        var orders = await CliProcess.RunAsync(null, "orders", "list", "--limit", "5000", "--data-dir", DataDir);
        Assert.Contains("2000 order(s)", orders.Stdout, StringComparison.Ordinal);
    }
}
