using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using OrderFlow.Json;
using OrderFlow.Local.Storage;
using OrderFlow.States.Execution;
using OrderFlow.States.Model;

namespace OrderFlow.Local.Bus;

/// <summary>A finished (or running) execution as stored: enough for <c>executions list|show</c> and <c>s3 cp --wait</c>.</summary>
public sealed record ExecutionRecord(string ExecutionArn, string StateMachine, string Name, string Status, DateTimeOffset StartDate, DateTimeOffset? StopDate, string? Error, string? Cause);

/// <summary>
/// The state machines of the data directory and their executions. Every execution is stored with its input, result
/// and full history, so it outlives the process.
/// </summary>
public sealed class LocalStateMachines(SqliteDatabase database, Func<string, ExecutionOptions> optionsFor)
{
    internal static readonly string[] Sql =
    [
        "CREATE TABLE IF NOT EXISTS sfn_state_machines(name TEXT PRIMARY KEY, definition TEXT NOT NULL, updated INTEGER NOT NULL)",
        """
        CREATE TABLE IF NOT EXISTS sfn_executions(arn TEXT PRIMARY KEY, state_machine TEXT NOT NULL, name TEXT NOT NULL, status TEXT NOT NULL,
          input TEXT NOT NULL, output TEXT, error TEXT, cause TEXT, start_date INTEGER NOT NULL, stop_date INTEGER, history TEXT, map_runs TEXT,
          owner TEXT)
        """,
        "CREATE INDEX IF NOT EXISTS sfn_executions_by_machine ON sfn_executions(state_machine, start_date)",
    ];

    private readonly ConcurrentDictionary<string, StateMachine> _parsed = new(StringComparer.Ordinal);

    /// <summary>Stores (or replaces) a definition after validating it.</summary>
    public async Task<ServiceResult<StateMachine>> CreateAsync(string name, string definition, CancellationToken cancellationToken)
    {
        if (!StateMachine.TryParse(definition, out var machine, out var problems))
        {
            return new ServiceError("InvalidDefinition", $"Invalid State Machine Definition: {string.Join("; ", problems)}");
        }
        await database.WriteAsync(connection =>
        {
            using var upsert = connection.CreateCommand();
            upsert.CommandText = "INSERT OR REPLACE INTO sfn_state_machines(name, definition, updated) VALUES ($n, $d, $u)";
            upsert.Parameters.AddWithValue("$n", name);
            upsert.Parameters.AddWithValue("$d", definition);
            upsert.Parameters.AddWithValue("$u", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            return upsert.ExecuteNonQuery();
        }, cancellationToken);
        _parsed[name] = machine;
        return machine;
    }

    public ServiceResult<StateMachine> Get(string name)
    {
        if (_parsed.TryGetValue(name, out var cached))
        {
            return cached;
        }
        var definition = database.Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT definition FROM sfn_state_machines WHERE name = $n";
            command.Parameters.AddWithValue("$n", name);
            return command.ExecuteScalar() as string;
        });
        if (definition is null)
        {
            return new ServiceError("StateMachineDoesNotExist", $"State Machine Does Not Exist: '{name}'");
        }
        var machine = StateMachine.Parse(definition);
        _parsed[name] = machine;
        return machine;
    }

    /// <summary>Runs an execution to its end and stores it. Execution names are unique per state machine, as on AWS.</summary>
    public async Task<ServiceResult<ExecutionResult>> RunAsync(string stateMachine, JsonValue input, string? executionName, CancellationToken cancellationToken)
    {
        var machine = Get(stateMachine);
        if (machine.Failed)
        {
            return machine.Error!;
        }
        var options = optionsFor(stateMachine);
        var name = executionName ?? options.Random.NewGuid().ToString();
        options = options with { ExecutionName = name, StateMachineName = stateMachine };
        var arn = $"arn:aws:states:{options.Region}:{options.AccountId}:execution:{stateMachine}:{name}";
        bool started;
        try
        {
            started = await database.WriteAsync(connection => Insert(connection, arn, stateMachine, name, input, options.TimeProvider.GetUtcNow()), cancellationToken);
        }
        catch (Exception ex) when (StorageFault.IsStorageFailure(ex))
        {
            return NotRecorded("could not be started", ex);
        }
        if (!started)
        {
            return new ServiceError("ExecutionAlreadyExists", $"Execution Already Exists: '{arn}'");
        }
        ExecutionResult result;
        // A failure of the storage (the disk full) ends the execution at once: its retries could not succeed.
        var storageFailed = database.Fault?.Token ?? CancellationToken.None;
        using var running = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, storageFailed);
        try
        {
            result = await machine.Value.RunAsync(input, options, running.Token);
        }
        catch (OperationCanceledException) when (storageFailed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Not recorded: there is no room to. It stays RUNNING under this process, and is stored as ABORTED when the
            // data directory is next opened after this process has ended.
            return new ServiceError("StorageFailed", $"The data directory's storage failed, so the execution was stopped: {database.Fault!.First!.Message}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested || options.StopToken.IsCancellationRequested)
        {
            // The process running it was interrupted: stored as ABORTED, as a stopped execution is on AWS
            // (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StopExecution.html), not left RUNNING.
            var stopped = options.TimeProvider.GetUtcNow();
            try
            {
                await database.WriteAsync(connection => Abort(connection, arn, stopped), CancellationToken.None);
            }
            catch (Exception ex) when (StorageFault.IsStorageFailure(ex))
            {
                // Left RUNNING; stored as ABORTED at the next opening, as above.
            }
            throw;
        }
        try
        {
            await database.WriteAsync(connection => Finish(connection, result), cancellationToken);
        }
        catch (Exception ex) when (StorageFault.IsStorageFailure(ex))
        {
            // It ran, but its end is not recorded: it stays RUNNING under this process, and is stored as ABORTED when the
            // data directory is next opened after this process has ended.
            return NotRecorded($"ended {result.StatusText} but could not be recorded", ex);
        }
        return result;
    }

    private static ServiceError NotRecorded(string what, Exception exception) =>
        new("ExecutionNotRecorded", $"The execution {what} in the data directory: {exception.Message}");

    /// <summary>
    /// Brings a data directory up to date when it opens: adds the <c>owner</c> column to one made before 2026-12-03, and
    /// stores as ABORTED every execution still RUNNING whose process has ended (killed, or crashed) without saying so,
    /// instead of leaving it RUNNING for ever. An execution of a process still alive, in this data directory or not, is
    /// left alone; one recorded without an owner (before 2026-12-03) cannot be told apart and is left too.
    /// </summary>
    /// <remarks>
    /// Each in a write transaction: two processes opening the same data directory at once take turns, and the second
    /// finds the column added. On a full disk the abandoned executions stay RUNNING until a later opening, so that the
    /// data directory can still be opened and read.
    /// </remarks>
    internal static void Upgrade(SqliteConnection connection)
    {
        SqliteDatabase.InWriteTransaction(connection, AddOwner);
        try
        {
            SqliteDatabase.InWriteTransaction(connection, AbortAbandoned);
        }
        catch (Exception ex) when (StorageFault.IsStorageFailure(ex))
        {
            // Nothing was changed; the next opening with room to write does it.
        }
    }

    private static void AddOwner(SqliteConnection connection)
    {
        using var column = connection.CreateCommand();
        column.CommandText = "SELECT count(*) FROM pragma_table_info('sfn_executions') WHERE name = 'owner'";
        if ((long)column.ExecuteScalar()! == 0)
        {
            SqliteDatabase.Execute(connection, "ALTER TABLE sfn_executions ADD COLUMN owner TEXT");
        }
    }

    private static void AbortAbandoned(SqliteConnection connection)
    {
        var abandoned = new List<string>();
        using (var running = connection.CreateCommand())
        {
            running.CommandText = "SELECT arn, owner FROM sfn_executions WHERE status = 'RUNNING' AND owner IS NOT NULL";
            using var reader = running.ExecuteReader();
            while (reader.Read())
            {
                if (!ExecutionOwner.IsAlive(reader.GetString(1)))
                {
                    abandoned.Add(reader.GetString(0));
                }
            }
        }
        foreach (var arn in abandoned)
        {
            using var update = connection.CreateCommand();
            update.CommandText = "UPDATE sfn_executions SET status = 'ABORTED', error = 'ProcessEnded', cause = $c WHERE arn = $a AND status = 'RUNNING'";
            update.Parameters.AddWithValue("$c", EndedCause);
            update.Parameters.AddWithValue("$a", arn);
            update.ExecuteNonQuery();
        }
    }

    // The cause stored with an execution whose process ended without finishing it; when it ended is not known, so it
    // has no stop date.
    private const string EndedCause = "The process running the execution ended before it finished (it was killed, or it crashed); processing the file again finishes the job.";

    // The cause stored with an execution whose process was interrupted before it finished.
    private const string InterruptedCause = "The process running the execution was interrupted (Ctrl-C or SIGTERM) before it finished.";

    private static int Abort(SqliteConnection connection, string arn, DateTimeOffset stopped)
    {
        using var update = connection.CreateCommand();
        update.CommandText = "UPDATE sfn_executions SET status = 'ABORTED', error = 'Interrupted', cause = $c, stop_date = $d WHERE arn = $a AND status = 'RUNNING'";
        update.Parameters.AddWithValue("$c", InterruptedCause);
        update.Parameters.AddWithValue("$d", stopped.ToUnixTimeMilliseconds());
        update.Parameters.AddWithValue("$a", arn);
        return update.ExecuteNonQuery();
    }

    private static bool Insert(SqliteConnection connection, string arn, string stateMachine, string name, JsonValue input, DateTimeOffset start)
    {
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT OR IGNORE INTO sfn_executions(arn, state_machine, name, status, input, start_date, owner) VALUES ($a, $m, $n, 'RUNNING', $i, $s, $o)";
        insert.Parameters.AddWithValue("$o", ExecutionOwner.Current);
        insert.Parameters.AddWithValue("$a", arn);
        insert.Parameters.AddWithValue("$m", stateMachine);
        insert.Parameters.AddWithValue("$n", name);
        insert.Parameters.AddWithValue("$i", input.ToJsonString());
        insert.Parameters.AddWithValue("$s", start.ToUnixTimeMilliseconds());
        return insert.ExecuteNonQuery() > 0;
    }

    private static int Finish(SqliteConnection connection, ExecutionResult result)
    {
        using var update = connection.CreateCommand();
        update.CommandText = "UPDATE sfn_executions SET status = $st, output = $o, error = $e, cause = $c, stop_date = $d, history = $h, map_runs = $m WHERE arn = $a";
        // total, succeeded, failed, pending: child executions; items: what they processed (a batch each, with an ItemBatcher).
        update.Parameters.AddWithValue("$m", new JsonArray(result.MapRuns.Select(r => (JsonValue)new JsonObjectBuilder(8)
            .Set("mapRunArn", r.MapRunArn).Set("state", r.StateName).Set("status", r.Status).Set("total", r.Total)
            .Set("succeeded", r.Succeeded).Set("failed", r.Failed).Set("pending", r.Pending)
            .Set("items", new JsonObjectBuilder(3).Set("total", r.ItemsSucceeded + r.ItemsFailed).Set("succeeded", r.ItemsSucceeded).Set("failed", r.ItemsFailed).Build())
            .Build()).ToArray()).ToJsonString());
        update.Parameters.AddWithValue("$st", result.StatusText);
        update.Parameters.AddWithValue("$o", (object?)result.Output?.ToJsonString() ?? DBNull.Value);
        update.Parameters.AddWithValue("$e", (object?)result.Error?.Error ?? DBNull.Value);
        update.Parameters.AddWithValue("$c", (object?)result.Error?.Cause ?? DBNull.Value);
        update.Parameters.AddWithValue("$d", result.StopDate.ToUnixTimeMilliseconds());
        update.Parameters.AddWithValue("$h", new JsonArray(result.History.Select(e => (JsonValue)e.ToJson()).ToArray()).ToJsonString());
        update.Parameters.AddWithValue("$a", result.ExecutionArn);
        return update.ExecuteNonQuery();
    }

    /// <summary>How many executions are stored in each status (RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED), of every state machine.</summary>
    public IReadOnlyDictionary<string, long> CountExecutions() => database.Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT status, count(*) FROM sfn_executions GROUP BY status ORDER BY status";
        using var reader = command.ExecuteReader();
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        while (reader.Read())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }
        return (IReadOnlyDictionary<string, long>)counts;
    });

    /// <summary>
    /// The stored executions, newest first: of one state machine and in one status (RUNNING, SUCCEEDED, FAILED,
    /// TIMED_OUT, ABORTED) when given, at most <paramref name="limit"/> when given.
    /// </summary>
    public IReadOnlyList<ExecutionRecord> ListExecutions(string? stateMachine = null, string? status = null, int? limit = null) => database.Read(connection =>
    {
        using var command = connection.CreateCommand();
        var filters = new List<string>();
        if (stateMachine is not null)
        {
            filters.Add("state_machine = $m");
            command.Parameters.AddWithValue("$m", stateMachine);
        }
        if (status is not null)
        {
            filters.Add("status = $s");
            command.Parameters.AddWithValue("$s", status);
        }
        command.CommandText = "SELECT arn, state_machine, name, status, start_date, stop_date, error, cause FROM sfn_executions"
            + (filters.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", filters)) + " ORDER BY start_date DESC, arn"
            + (limit is null ? string.Empty : " LIMIT $l");
        if (limit is { } most)
        {
            command.Parameters.AddWithValue("$l", most);
        }
        using var reader = command.ExecuteReader();
        var records = new List<ExecutionRecord>();
        while (reader.Read())
        {
            records.Add(new ExecutionRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)), reader.IsDBNull(5) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7)));
        }
        return records;
    });

    /// <summary>
    /// One stored execution by ARN or name: its record, output, history (GetExecutionHistory events) and Map runs;
    /// null when unknown.
    /// </summary>
    public (ExecutionRecord Record, JsonValue? Output, JsonArray History, JsonArray MapRuns)? Describe(string executionArnOrName) => database.Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT arn, state_machine, name, status, start_date, stop_date, error, cause, output, history, map_runs FROM sfn_executions WHERE arn = $a OR name = $a ORDER BY start_date DESC LIMIT 1";
        command.Parameters.AddWithValue("$a", executionArnOrName);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return ((ExecutionRecord, JsonValue?, JsonArray, JsonArray)?)null;
        }
        var record = new ExecutionRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)), reader.IsDBNull(5) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
            reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7));
        JsonArray Array(int i) => reader.IsDBNull(i) ? JsonArray.Empty : (JsonArray)JsonValue.Parse(reader.GetString(i));
        return (record, reader.IsDBNull(8) ? null : JsonValue.Parse(reader.GetString(8)), Array(9), Array(10));
    });
}
