using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace OrderFlow.Local.Tests;

/// <summary>
/// An execution left RUNNING by a process that ended without finishing it (killed, crashed) is stored as ABORTED when
/// the data directory next opens; one whose process still runs, or recorded before owners were, is left as it is.
/// </summary>
public sealed class AbandonedExecutionTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Database => _dir.Combine("orderflow.db");

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string Running(string name, string? owner) =>
        $"INSERT INTO sfn_executions(arn, state_machine, name, status, input, start_date, owner) VALUES ('arn:{name}', 'm', '{name}', 'RUNNING', '{{}}', 0, {(owner is null ? "NULL" : $"'{owner}'")});";

    private static string ThisProcess()
    {
        using var self = Process.GetCurrentProcess();
        return $"{Environment.ProcessId}:{self.StartTime.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture)}";
    }

    [Fact]
    public async Task Open_RunningExecutionsOfEndedProcesses_StoredAsAbortedAndTheOthersLeftRunning()
    {
        await LocalCloud.Open(new LocalCloudOptions { DataDirectory = _dir.Path }).DisposeAsync();
        var exited = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await exited.WaitForExitAsync();
        var startedLongAgo = $"{Environment.ProcessId}:{new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks}";
        Execute(Running("ended", $"{exited.Id}:0") + Running("reused-id", startedLongAgo) + Running("alive", ThisProcess()) + Running("unknown", null));

        await using var cloud = LocalCloud.Open(new LocalCloudOptions { DataDirectory = _dir.Path });

        var statuses = cloud.StateMachines.ListExecutions().ToDictionary(e => e.Name);
        Assert.Equal(("ABORTED", "ProcessEnded"), (statuses["ended"].Status, statuses["ended"].Error));
        Assert.Contains("killed, or it crashed", statuses["ended"].Cause, StringComparison.Ordinal);
        Assert.Null(statuses["ended"].StopDate);
        Assert.Equal("ABORTED", statuses["reused-id"].Status);
        Assert.Equal("RUNNING", statuses["alive"].Status);
        Assert.Equal("RUNNING", statuses["unknown"].Status);
    }

    [Fact]
    public async Task Open_DataDirectoryWithoutTheOwnerColumn_GainsItAndKeepsItsExecutions()
    {
        Execute("""
            CREATE TABLE sfn_executions(arn TEXT PRIMARY KEY, state_machine TEXT NOT NULL, name TEXT NOT NULL, status TEXT NOT NULL,
              input TEXT NOT NULL, output TEXT, error TEXT, cause TEXT, start_date INTEGER NOT NULL, stop_date INTEGER, history TEXT, map_runs TEXT);
            INSERT INTO sfn_executions(arn, state_machine, name, status, input, start_date, stop_date) VALUES ('arn:old', 'm', 'old', 'SUCCEEDED', '{}', 0, 5);
            """);

        await using var cloud = LocalCloud.Open(new LocalCloudOptions { DataDirectory = _dir.Path });

        var old = Assert.Single(cloud.StateMachines.ListExecutions());
        Assert.Equal(("old", "SUCCEEDED"), (old.Name, old.Status));
    }
}
