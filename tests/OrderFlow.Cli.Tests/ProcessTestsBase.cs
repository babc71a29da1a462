using OrderFlow.Json;
using OrderFlow.Local;

namespace OrderFlow.Cli.Tests;

/// <summary>Runs <c>orderflow process</c> on files in a temp dir and reads what it stored and rejected.</summary>
public abstract class ProcessTestsBase : IDisposable
{
    private protected readonly TempDir _dir = new();

    public void Dispose()
    {
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }

    protected string DataDir => _dir.Combine("data");

    protected async Task<(int Exit, JsonObject? Summary, string Stderr)> Process(params string[] files)
    {
        var result = await CliProcess.RunAsync(null, ["process", .. files, "--json", "--data-dir", DataDir]);
        var summary = result.Stdout.Trim().Length > 0 && result.Stdout.TrimStart().StartsWith('{') ? (JsonObject)JsonValue.Parse(result.Stdout) : null;
        return (result.ExitCode, summary, result.Stderr);
    }

    protected static long N(JsonObject summary, string key) => (long)((JsonNumber)summary[key]!).Value;

    protected static void AssertCounts(JsonObject? summary, long orders, long stored, long duplicates, long rejected)
    {
        Assert.NotNull(summary);
        var actual = (N(summary, "orders"), N(summary, "stored"), N(summary, "duplicates"), N(summary, "rejected"));
        // The whole summary in the message: its rejectedByReason and failed counts say why a count is off.
        Assert.True((orders, stored, duplicates, rejected) == actual, $"expected {(orders, stored, duplicates, rejected)}, got {actual}: {summary.ToJsonString()}");
    }

    protected async Task<List<JsonObject>> RejectedMessages()
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

    protected async Task<string> Generate(string name, int count, double invalidRate)
    {
        var file = _dir.Combine(name);
        var result = await CliProcess.RunAsync(null, "generate", "--orders", count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--invalid-rate", invalidRate.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", "42", "--out", file);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return file;
    }

    protected async Task<long> StoredCount()
    {
        await using var cloud = LocalCloud.Open(new LocalCloudOptions { DataDirectory = DataDir });
        // A Scan returns at most 1 MB a page, as DynamoDB's does: 10,000 orders take several pages.
        var count = 0L;
        JsonValue? start = null;
        do
        {
            var request = new JsonObjectBuilder(3).Set("TableName", "orders").Set("ProjectionExpression", "OrderId");
            if (start is not null)
            {
                request.Set("ExclusiveStartKey", start);
            }
            var scan = await cloud.Tables.ExecuteAsync("Scan", request.Build(), CancellationToken.None);
            count += (long)((JsonNumber)scan.Value["Count"]!).Value;
            start = scan.Value["LastEvaluatedKey"];
        }
        while (start is not null);
        return count;
    }
}
