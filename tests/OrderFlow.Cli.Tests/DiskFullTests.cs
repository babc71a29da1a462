using OrderFlow.Json;

namespace OrderFlow.Cli.Tests;

/// <summary>
/// <c>process</c> when the disk lets it down: a data directory whose disk fills up mid-run (a clear error and exit 1 at
/// once, then every order stored exactly once by the next run), and a temporary folder that cannot be written. The
/// full disk is a small tmpfs mounted in a user and mount namespace of the test's own (<c>unshare</c>, no privilege
/// needed), grown with a remount between the two runs.
/// </summary>
public sealed class DiskFullTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Process_DiskFillsUpMidRun_StopsAtOnceSayingWhyAndTheNextRunStoresEveryOrderOnce()
    {
        // Where user namespaces are not allowed, the same paths are covered in-process by StorageFailureTests (OrderFlow.Local.Tests).
        var probe = await CliProcess.RunProgramAsync("unshare", "--user", "--map-root-user", "--mount", "true");
        if (probe.ExitCode != 0)
        {
            Assert.Contains("unshare", probe.Stderr, StringComparison.Ordinal);
            return;
        }
        var orders = _dir.Combine("orders.jsonl");
        var generated = await CliProcess.RunAsync(null, "generate", "--orders", "100000", "--invalid-rate", "0.1", "--seed", "9", "--out", orders);
        Assert.True(generated.ExitCode == 0, generated.Stderr);
        var disk = Directory.CreateDirectory(_dir.Combine("disk")).FullName;
        var cli = $"dotnet '{Path.Combine(AppContext.BaseDirectory, "orderflow.dll")}'";
        var data = Path.Combine(disk, "data");
        // 45 MiB: the file's copy in the bucket (31 MB) fits, the orders' database does not.
        var script = $"""
            mount -t tmpfs -o size=45m tmpfs '{disk}' || exit 90
            {cli} process '{orders}' --data-dir '{data}'
            echo "first exit $?" >&2
            mount -o remount,size=400m '{disk}' || exit 91
            {cli} process '{orders}' --data-dir '{data}' --json || exit 92
            {cli} dlq summary --json --data-dir '{data}' || exit 93
            {cli} sales --json --data-dir '{data}' || exit 94
            mount -o remount,ro '{disk}' || exit 95
            {cli} orders list --data-dir '{data}'
            echo "read-only exit $?" >&2
            """;

        var run = await CliProcess.RunProgramAsync("unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script);

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Stderr}");
        Assert.Contains("first exit 1", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("could not be written", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("database or disk is full", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", run.Stderr, StringComparison.Ordinal);
        // A data directory on a disk mounted read-only cannot be opened: said in words.
        Assert.Contains("read-only exit 1", run.Stderr, StringComparison.Ordinal);
        Assert.Contains($"Cannot open the data directory {data}:", run.Stderr, StringComparison.Ordinal);
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')).Select(l => (JsonObject)JsonValue.Parse(l)).ToList();
        var second = lines[0];
        Assert.Equal(JsonValue.FromNumber(100_000), second["orders"]);
        Assert.Equal(JsonValue.FromNumber(0), second["failed"]);
        // Whatever the first run stored counts as a duplicate now; together, every valid order once.
        Assert.True((long)((JsonNumber)second["stored"]!).Value < 90_000, second.ToJsonString());
        Assert.Equal(90_000, (long)((JsonNumber)second["stored"]!).Value + (long)((JsonNumber)second["duplicates"]!).Value);
        Assert.Equal(JsonValue.FromNumber(90_000), ((JsonObject)lines[2]["total"]!)["orders"]);
        // Rejections are sent at least once: one sent just before the disk filled, but not yet recorded, is sent again.
        var rejected = (long)((JsonNumber)lines[1]["rejected"]!).Value;
        Assert.InRange(rejected, 10_000, 10_000 + 3_200);
    }

    [Fact]
    public async Task Process_TemporaryFolderUnwritable_FailsTheFileWithResultWriterFailedAndTheNextRunCountsItsOrders()
    {
        // A Map Run's results go to temporary files first; here the temporary folder lies under a file, so none can be made.
        var orders = _dir.Write("orders.jsonl", string.Concat(Enumerable.Range(1, 50).Select(i =>
            $"{{\"order-info\":{{\"OrderId\":\"T{i}\",\"item-id\":\"x\",\"qty\":1}},\"contact-info\":{{\"name\":\"N\",\"email\":\"n@example.com\"}}}}\n")));
        var data = _dir.Combine("data");
        var blocked = new Dictionary<string, string?> { ["TMPDIR"] = Path.Combine(_dir.Write("a-file", string.Empty), "tmp") };

        var failed = await CliProcess.RunAsync(null, blocked, "process", orders, "--data-dir", data);

        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("FAILED States.ResultWriterFailed: Cannot write the Map Run's results to", failed.Stdout, StringComparison.Ordinal);
        Assert.Contains("not counting the 1 failed file(s)", failed.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", failed.Stderr, StringComparison.Ordinal);
        // The orders were stored all the same; the next run finds them.
        var again = await CliProcess.RunAsync(null, "process", orders, "--data-dir", data);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("orders 50, stored 0, duplicates 50, rejected 0", again.Stdout, StringComparison.Ordinal);
    }
}
