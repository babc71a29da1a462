using Microsoft.Data.Sqlite;
using OrderFlow.Json;

namespace OrderFlow.Cli.Tests;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM: `process` stops, says how far it got and how to finish, and leaves its execution ABORTED;
/// running it again completes the file with every order counted once; `watch` finishes the file in progress first.
/// </summary>
public sealed class InterruptTests : ProcessTestsBase
{
    private const int SigInt = 2;
    private const int SigTerm = 15;
    private const int SigKill = 9;

    [Theory]
    [InlineData(SigInt)]
    [InlineData(SigTerm)]
    public async Task Process_InterruptedMidFile_ExitsWithHowToFinish_AndTheNextRunCompletesItExactlyOnce(int signal)
    {
        // Large enough that the run is still going when the signal comes, however loaded the machine.
        var file = await Generate("orders.jsonl", 200_000, 0.1);

        var interrupted = await CliProcess.InterruptAsync(() => Task.FromResult(StoredSoFar() >= 2_000), signal,
            "process", file, "--json", "--data-dir", DataDir);

        Assert.True(interrupted.ExitCode == 130, $"exit {interrupted.ExitCode}: {interrupted.Stdout} {interrupted.Stderr}");
        Assert.Matches("^interrupted after [0-9,]+ order\\(s\\), each stored or rejected", interrupted.Stderr);
        Assert.Contains($"To finish, run it again: orderflow process {file}", interrupted.Stderr, StringComparison.Ordinal);
        // --json still prints its one object: nothing counted by outcome (the file did not finish), what was handled.
        var partial = (JsonObject)JsonValue.Parse(interrupted.Stdout.Trim());
        Assert.Equal(JsonValue.True, partial["interrupted"]);
        AssertCounts(partial, 0, 0, 0, 0);
        Assert.InRange(N(partial, "ordersHandled"), 2_000, 199_999);
        var aborted = Assert.IsType<JsonObject>(Assert.Single((JsonArray)partial["files"]!));
        Assert.Equal(new JsonString("ABORTED"), aborted["status"]);
        Assert.Equal(partial["ordersHandled"], aborted["ordersHandled"]);
        var executions = await CliProcess.RunAsync(null, "executions", "list", "--json", "--data-dir", DataDir);
        var execution = (JsonObject)JsonValue.Parse(executions.Stdout.Trim());
        Assert.Equal(new JsonString("ABORTED"), execution["status"]);

        var again = await Process(file);

        Assert.True(again.Exit == 0, again.Stderr);
        var stored = N(again.Summary!, "stored");
        Assert.True(stored < 180_000, $"the interrupted run stored nothing: {again.Summary!.ToJsonString()}");
        AssertCounts(again.Summary, 200_000, stored, 180_000 - stored, 20_000);
        Assert.Equal(180_000, await StoredCount());
        Assert.Equal(20_000, (await RejectedMessages()).Count);
    }

    [Fact]
    public async Task Process_KilledMidFile_TheNextRunStoresEveryOrderOnce_AndTheKilledExecutionIsAborted()
    {
        // A crash: no chance to finish anything. Exactly once in effect still holds for the stored orders; a rejection
        // sent but not yet recorded may be sent again (at least once, docs/order-pipeline.md).
        var file = await Generate("orders.jsonl", 200_000, 0.1);
        var temporary = Directory.CreateDirectory(_dir.Combine("tmp")).FullName;

        var killed = await CliProcess.InterruptAsync(() => Task.FromResult(StoredSoFar() >= 20_000), SigKill, new Dictionary<string, string?> { ["TMPDIR"] = temporary }, "process", file, "--json", "--data-dir", DataDir);
        var again = await Process(file);

        Assert.Equal(128 + SigKill, killed.ExitCode);
        // The Map Run's result files, written as its children end, had no names left to leave behind (the runtime's own
        // diagnostics socket does stay).
        Assert.Empty(Directory.EnumerateFileSystemEntries(temporary, "orderflow-*"));
        Assert.True(again.Exit == 0, again.Stderr);
        var stored = N(again.Summary!, "stored");
        AssertCounts(again.Summary, 200_000, stored, 180_000 - stored, 20_000);
        Assert.Equal(180_000, await StoredCount());
        Assert.InRange((await RejectedMessages()).Count, 20_000, 20_000 + 32 * 100);
        var executions = await CliProcess.RunAsync(null, "executions", "list", "--data-dir", DataDir);
        Assert.Contains("ABORTED", executions.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("RUNNING", executions.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_SigTermDuringAFile_FinishesThatFileThenStops()
    {
        var inbox = Directory.CreateDirectory(_dir.Combine("inbox")).FullName;
        File.Move(await Generate("orders.jsonl", 50_000, 0.1), Path.Combine(inbox, "orders.jsonl"));

        var watch = await CliProcess.InterruptAsync(() => Task.FromResult(StoredSoFar() >= 1_000), SigTerm, "watch", inbox, "--data-dir", DataDir);

        Assert.True(watch.ExitCode == 0, $"exit {watch.ExitCode}: {watch.Stdout} {watch.Stderr}");
        Assert.Contains("orders.jsonl: orders 50,000, stored 45,000, duplicates 0, rejected 5,000", watch.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("stopped", watch.Stdout.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_SecondWatcherOnTheSameDataDirectory_RefusedWhileTheFirstRuns()
    {
        var inbox = Directory.CreateDirectory(_dir.Combine("inbox")).FullName;
        CliProcess.Result? second = null;

        var first = await CliProcess.InterruptAsync(async () =>
        {
            if (!IsWatching())
            {
                return false;
            }
            second = await CliProcess.RunAsync(null, "watch", inbox, "--data-dir", DataDir, "--max-files", "1");
            return true;
        }, SigTerm, "watch", inbox, "--data-dir", DataDir);

        Assert.NotNull(second);
        Assert.Equal(2, second.ExitCode);
        Assert.Contains("Another orderflow watch is already running", second.Stderr, StringComparison.Ordinal);
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.EndsWith("stopped", first.Stdout.TrimEnd(), StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(inbox, "one.json"), """[{"order-info":{"OrderId":"W1","item-id":"1","qty":1},"contact-info":{"name":"W","email":"w@example.com"}}]""");
        var afterwards = await CliProcess.RunAsync(null, "watch", inbox, "--data-dir", DataDir, "--max-files", "1");
        Assert.True(afterwards.ExitCode == 0, afterwards.Stderr); // the lock went with the first watcher
        Assert.Contains("one.json: orders 1, stored 1", afterwards.Stdout, StringComparison.Ordinal);
    }

    // The first watcher is up once it has said so: its lock file holds its process id.
    private bool IsWatching()
    {
        var lockFile = Path.Combine(DataDir, "watch.lock");
        try
        {
            return File.Exists(lockFile) && new FileInfo(lockFile).Length > 0;
        }
        catch (IOException)
        {
            return false;
        }
    }

    // Read straight from the database, read-only, while the command writes it (WAL readers do not block the writer).
    private long StoredSoFar()
    {
        var database = Path.Combine(DataDir, "orderflow.db");
        if (!File.Exists(database))
        {
            return 0;
        }
        try
        {
            // A short busy timeout: a poll never holds the test up while the command runs on (and finishes).
            using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False;Default Timeout=1");
            connection.Open();
            using var count = connection.CreateCommand();
            count.CommandText = "SELECT count(*) FROM ddb_items WHERE table_name = 'orders'";
            return (long)count.ExecuteScalar()!;
        }
        catch (SqliteException)
        {
            return 0; // not created yet
        }
    }
}
