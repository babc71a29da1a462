using OrderFlow.Json;

namespace OrderFlow.Local.Tests;

/// <summary>The documented commands on a fresh data directory: init, s3 cp --wait, dynamodb scan, sqs receive.</summary>
public sealed class LocalCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "samples", "seed", name);

    [Fact]
    public async Task SeedCommands_OnFreshDataDirectory_StoreOneOrderAndQueueTheOther()
    {
        var init = await CliProcess.RunAsync(null, "init", "--manifest", Sample("manifest.json"), "--data-dir", _dir.Path);
        Assert.Equal(0, init.ExitCode);
        Assert.Contains("6 resource(s) ready", init.Stdout);

        var cp = await CliProcess.RunAsync(null, "s3", "cp", Sample("orders.json"), "s3://order-data-rohe/orders.json", "--wait", "--data-dir", _dir.Path);
        Assert.Equal(0, cp.ExitCode);
        Assert.Contains("upload: ", cp.Stdout);
        Assert.Contains(":execution:order-data-pipeline:", cp.Stdout);
        Assert.Contains(" SUCCEEDED", cp.Stdout);

        var scan = await CliProcess.RunAsync(null, "dynamodb", "scan", "--table", "ecom-order", "--data-dir", _dir.Path);
        Assert.Equal(0, scan.ExitCode);
        var table = (JsonObject)JsonValue.Parse(scan.Stdout);
        Assert.Equal(JsonValue.FromNumber(1), table["Count"]);
        Assert.Equal(JsonValue.Parse("""{"S":"1"}"""), ((JsonObject)((JsonArray)table["Items"]!)[0])["OrderId"]);

        var receive = await CliProcess.RunAsync(null, "sqs", "receive", "--queue", "order-data-dlq", "--max", "10", "--data-dir", _dir.Path);
        Assert.Equal(0, receive.ExitCode);
        var message = (JsonObject)Assert.Single((JsonArray)((JsonObject)JsonValue.Parse(receive.Stdout))["Messages"]!);
        Assert.Contains("\"orderId\":\"2\"", ((JsonString)message["Body"]!).Value);
        Assert.True(message.ContainsKey("MessageId"));
    }

    [Fact]
    public async Task Init_IsIdempotent()
    {
        for (var i = 0; i < 2; i++)
        {
            var init = await CliProcess.RunAsync(null, "init", "--manifest", Sample("manifest.json"), "--data-dir", _dir.Path);
            Assert.Equal(0, init.ExitCode);
        }
    }

    [Fact]
    public async Task Init_MissingManifest_ExitsTwo()
    {
        var init = await CliProcess.RunAsync(null, "init", "--manifest", Path.Combine(_dir.Path, "none.json"), "--data-dir", _dir.Path);
        Assert.Equal(2, init.ExitCode);
        Assert.Contains($"Cannot read the manifest '{Path.Combine(_dir.Path, "none.json")}'", init.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_NoManifest_CreatesTheOrderPipelineFromAnyDirectory()
    {
        // The working directory (the tests' output folder) has no definitions/ folder: the pipeline's shipped definitions are used.
        Assert.False(Directory.Exists(Path.Combine(AppContext.BaseDirectory, "definitions")));
        var init = await CliProcess.RunAsync(null, "init", "--data-dir", _dir.Combine("data"));
        Assert.True(init.ExitCode == 0, init.Stderr);
        Assert.Contains("order-pipeline", init.Stdout, StringComparison.Ordinal);
        Assert.Contains("orders-rejected", init.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_dir.Path, "data", "definitions", "manifest.json")));
    }

    [Fact]
    public async Task Scan_UnknownTable_FailsWithResourceNotFound()
    {
        var scan = await CliProcess.RunAsync(null, "dynamodb", "scan", "--table", "nope", "--data-dir", _dir.Path);
        Assert.Equal(1, scan.ExitCode);
        Assert.Contains("ResourceNotFoundException", scan.Stderr);
    }

    [Fact]
    public async Task Cp_BadTarget_ExitsTwo()
    {
        var cp = await CliProcess.RunAsync(null, "s3", "cp", Sample("orders.json"), "order-data-rohe/orders.json", "--data-dir", _dir.Path);
        Assert.Equal(2, cp.ExitCode);
    }

    [Fact]
    public async Task DistributedSample_JsonLinesFile_ExecutionShowListsTheMapRunWithCounts()
    {
        var sample = Path.Combine(AppContext.BaseDirectory, "samples", "distributed");
        Assert.Equal(0, (await CliProcess.RunAsync(null, "init", "--manifest", Path.Combine(sample, "manifest.json"), "--data-dir", _dir.Path)).ExitCode);
        var cp = await CliProcess.RunAsync(null, "s3", "cp", Path.Combine(sample, "orders.jsonl"), "s3://orders-inbox/2026/orders.jsonl", "--wait", "--data-dir", _dir.Path);
        Assert.Contains(" SUCCEEDED", cp.Stdout);

        var scan = (JsonObject)JsonValue.Parse((await CliProcess.RunAsync(null, "dynamodb", "scan", "--table", "orders", "--data-dir", _dir.Path)).Stdout);
        Assert.Equal(JsonValue.FromNumber(16), scan["Count"]);
        var dlq = (JsonObject)JsonValue.Parse((await CliProcess.RunAsync(null, "sqs", "receive", "--queue", "orders-dlq", "--max", "10", "--data-dir", _dir.Path)).Stdout);
        Assert.Equal(4, ((JsonArray)dlq["Messages"]!).Count);

        var list = await CliProcess.RunAsync(null, "executions", "list", "--data-dir", _dir.Path);
        Assert.Contains("1 execution(s)", list.Stdout);
        var name = list.Stdout.Split('\n')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1];
        var show = (JsonObject)JsonValue.Parse((await CliProcess.RunAsync(null, "executions", "show", name, "--json", "--data-dir", _dir.Path)).Stdout);
        Assert.Equal(new JsonString("SUCCEEDED"), show["status"]);
        var run = (JsonObject)Assert.Single((JsonArray)show["mapRuns"]!);
        Assert.Equal(JsonValue.FromNumber(20), run["total"]);
        Assert.Equal(JsonValue.FromNumber(20), run["succeeded"]);
        Assert.Contains(((JsonArray)show["events"]!).Cast<JsonObject>(), e => e["type"] is JsonString { Value: "MapRunStarted" });
        var text = await CliProcess.RunAsync(null, "executions", "show", name, "--data-dir", _dir.Path);
        Assert.Equal(JsonValue.Parse("""{"total":20,"succeeded":20,"failed":0}"""), run["items"]);
        Assert.Contains("map run  Orders SUCCEEDED: 20 child executions: 20 succeeded, 0 failed, 0 pending; 20 items: 20 succeeded, 0 failed", text.Stdout);
    }
}
