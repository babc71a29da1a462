using OrderFlow.Json;

namespace OrderFlow.Cli.Tests;

/// <summary><c>orderflow status</c>: a data directory at a glance, and none where there is none.</summary>
public sealed class StatusCommandTests : ProcessTestsBase
{
    [Fact]
    public async Task Status_AfterTheSeedSample_CountsOrdersRejectionsExecutionsAndBytes()
    {
        AssertCounts((await Process(Path.Combine(AppContext.BaseDirectory, "samples", "seed", "orders.json"))).Summary, 2, 1, 0, 1);

        var json = await CliProcess.RunAsync(null, "status", "--json", "--data-dir", DataDir);
        var text = await CliProcess.RunAsync(null, "status", "--data-dir", DataDir);

        Assert.True(json.ExitCode == 0, json.Stderr);
        var status = (JsonObject)JsonValue.Parse(json.Stdout);
        Assert.Equal(JsonValue.FromNumber(1), status["orders"]);
        Assert.Equal(JsonValue.FromNumber(1), status["rejected"]);
        Assert.Equal(JsonValue.Parse("""{"SUCCEEDED":1}"""), status["executions"]);
        var bytes = (JsonObject)status["bytes"]!;
        // The seed's file (308 bytes) and the run's result files are in the buckets.
        Assert.InRange(((JsonNumber)bytes["buckets"]!).Value, 308, 1_000_000);
        Assert.Equal(((JsonNumber)bytes["database"]!).Value + ((JsonNumber)bytes["log"]!).Value + ((JsonNumber)bytes["buckets"]!).Value + ((JsonNumber)bytes["other"]!).Value,
            ((JsonNumber)bytes["total"]!).Value);
        Assert.Equal(new JsonString("SUCCEEDED"), ((JsonObject)status["latest"]!)["status"]);
        Assert.True(text.ExitCode == 0, text.Stderr);
        Assert.Contains("orders stored 1 ", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("rejected orders 1 in the queue orders-rejected (orderflow dlq summary)", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("executions 1 (SUCCEEDED 1)", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_NoDataDirectoryYet_SaysSoAndCreatesNothing()
    {
        var result = await CliProcess.RunAsync(null, "status", "--data-dir", DataDir);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("No data directory at", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(DataDir));
    }
}
