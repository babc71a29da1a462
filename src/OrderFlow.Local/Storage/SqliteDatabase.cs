using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace OrderFlow.Local.Storage;

/// <summary>
/// One SQLite database in WAL mode with a single writer that commits in groups: concurrent writes queue up, the
/// writer runs every queued write in one transaction and commits once (fsync'd, <c>synchronous=FULL</c>), then
/// completes them all. A write that throws sends its batch down a slow path, one transaction per write. Each write is durable when its task completes, no caller ever meets "database is locked",
/// and throughput grows with concurrency. Reads use their own connections and never wait for the writer, and the log is
/// copied into the database beside the writer, by a <see cref="WalCheckpointer"/>.
/// </summary>
public sealed class SqliteDatabase : IAsyncDisposable
{
    private const int MaxBatch = 2048;
    internal const int NewPageSize = 8192;
    internal const int CheckpointBytes = 32 << 20;

    private readonly string _connectionString;
    private readonly System.Collections.Concurrent.ConcurrentBag<SqliteConnection> _readers = [];
    private static readonly int MaxIdleReaders = Math.Max(4, Environment.ProcessorCount * 2);
    private volatile bool _disposed;
    private readonly Channel<IWrite> _writes = Channel.CreateUnbounded<IWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _writer;
    private Exception? _failure; // the writer loop's own failure, if it ever fails
    private readonly TaskCompletionSource _writerDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly WalCheckpointer _checkpointer;
    private readonly StorageFault? _fault;

    /// <param name="upgrades">Run after <paramref name="schema"/>, before any write: they bring a database made by an
    /// earlier version to the current layout.</param>
    /// <param name="fault">Told of every write that fails for the storage's sake (<see cref="StorageFault.IsStorageFailure"/>).</param>
    public SqliteDatabase(string path, IEnumerable<string> schema, IEnumerable<Action<SqliteConnection>>? upgrades = null, StorageFault? fault = null)
        : this(path, schema, upgrades, CheckpointBytes, WalCheckpointer.DefaultPause, fault)
    {
    }

    /// <param name="checkpointBytes">The log's length from which it is copied whole and starts over.</param>
    /// <param name="checkpointPause">How long the checkpointer rests between passes.</param>
    internal SqliteDatabase(string path, IEnumerable<string> schema, IEnumerable<Action<SqliteConnection>>? upgrades, long checkpointBytes, TimeSpan checkpointPause,
        StorageFault? fault = null)
    {
        _fault = fault;
        // No pooling: the writer and the read connections are this database's own, opened once and closed on dispose.
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 30 }.ToString();
        _writer = new SqliteConnection(_connectionString);
        _writer.Open();
        // A new database gets pages of 8 KiB instead of SQLite's 4 KiB: half the pages, so half the write calls for
        // the log and for the copies into the database, and fewer pages to split; 1,000,000 generated orders took about
        // 9% less time (faster in 8 of 10 alternated runs). Random OrderIds pay for it (each insert rewrites a page of the key index, now twice
        // as large): about 10% more time for 1,000,000 (docs/performance.md). A database made earlier keeps its page size.
        // https://www.sqlite.org/pragma.html#pragma_page_size
        // The writer keeps up to 64 MiB of pages in its cache instead of SQLite's default 2 MiB: orders with random
        // OrderIds insert into random pages of the key index, which in a 2 MiB cache were read back from the file for
        // nearly every insert (1,000,000 orders with random ids: 10% less time; the cache fills only as far as the
        // database needs it). https://www.sqlite.org/pragma.html#pragma_cache_size
        // A savepoint's journal of the pages it changed (TransactWriteItems runs in one) stays in memory: with SQLite's
        // default it spilled past 64 KiB into a temporary file of its own, created, written and deleted about 370
        // times in a run of 1,000,000 orders. https://www.sqlite.org/tempfiles.html#statement_journals
        Execute(_writer, $"PRAGMA page_size={NewPageSize}; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;");
        // The writer never copies the log into the database itself (https://www.sqlite.org/pragma.html#pragma_wal_autocheckpoint):
        // the checkpointer does, beside it, and the log starts over once it holds 32 MiB rather than SQLite's default
        // 1,000 pages, so that a page written by many commits in between is copied once (14% fewer bytes written for
        // 1,000,000 orders than with 4 MB; docs/performance.md).
        Execute(_writer, "PRAGMA wal_autocheckpoint=0;");
        foreach (var statement in schema)
        {
            Execute(_writer, statement);
        }
        foreach (var upgrade in upgrades ?? [])
        {
            upgrade(_writer);
        }
        _checkpointer = new WalCheckpointer(_connectionString, Math.Max(1, checkpointBytes / Pragma(_writer, "page_size")), checkpointPause);
        // The writer is a thread of its own, not a pool thread: it blocks in SQLite and in fsync for most of a busy
        // run, and on a pool thread that block took one of the pool's few threads from the work that feeds it.
        new Thread(WriterLoop) { IsBackground = true, Name = "OrderFlow SQLite writer" }.Start();
    }

    /// <summary>Where failures of the storage itself are reported, by this database and by the services beside it (the buckets' files).</summary>
    public StorageFault? Fault => _fault;

    /// <summary>The log's length, in pages, from which the checkpointer copies it whole so that it starts over.</summary>
    internal long CheckpointPages => _checkpointer.RestartFrames;

    /// <summary>Runs <paramref name="write"/> on the writer connection inside a group transaction; completes once committed.</summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, T> write, CancellationToken cancellationToken)
    {
        var request = new Write<T>(write);
        if (!_writes.Writer.TryWrite(request))
        {
            // Closed: disposed, or the writer's loop failed (a bug), whose error every later write reports.
            var failure = Volatile.Read(ref _failure);
            ObjectDisposedException.ThrowIf(failure is null, this);
            return Task.FromException<T>(failure);
        }
        return request.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="read"/> on a read connection of this database's own (sees every committed write). A read
    /// connection is used by one read at a time: its prepared statements (<see cref="RawStatements"/>) are bound and
    /// stepped without locks. The connections are kept here, not in Microsoft.Data.Sqlite's pool: with the pool, two
    /// concurrent reads now and then ran on the same native connection, and one read's statement was rebound under the
    /// other ("SQLite Error 21: bad parameter or other API misuse", or a row's text cut off mid-parse), which sent an
    /// order already stored to the rejected queue as "store failed" on a re-run.
    /// </summary>
    public T Read<T>(Func<SqliteConnection, T> read)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_readers.TryTake(out var connection))
        {
            connection = new SqliteConnection(_connectionString);
            connection.Open();
        }
        try
        {
            return read(connection);
        }
        finally
        {
            if (_disposed || _readers.Count >= MaxIdleReaders)
            {
                Close(connection);
            }
            else
            {
                _readers.Add(connection);
            }
        }
    }

    private static void Close(SqliteConnection connection)
    {
        RawStatements.Release(connection);
        connection.Dispose();
    }

    private void WriterLoop()
    {
        var batch = new List<IWrite>(MaxBatch);
        try
        {
            while (WaitForWrites())
            {
                _checkpointer.CopyRestIfAsked(_writer);
                while (batch.Count < MaxBatch && _writes.Reader.TryRead(out var write))
                {
                    batch.Add(write);
                }
                if (!TryCommitTogether(batch))
                {
                    // A write threw (a bug, or a disk error): replay the batch one write per transaction, so that only
                    // the failing write fails and nothing it half did is kept.
                    foreach (var write in batch)
                    {
                        CommitAlone(write);
                    }
                }
                _checkpointer.Committed();
                foreach (var write in batch)
                {
                    write.Complete();
                }
                batch.Clear();
            }
            _writerDone.TrySetResult();
        }
#pragma warning disable CA1031 // the loop's own failure is a bug: every waiting write and the disposer are told, none hangs
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Volatile.Write(ref _failure, ex);
            _writes.Writer.TryComplete(ex);
            while (_writes.Reader.TryRead(out var queued))
            {
                batch.Add(queued);
            }
            foreach (var write in batch)
            {
                write.Fail(ex);
                write.Complete();
            }
            _writerDone.TrySetException(ex);
        }
    }

    private bool WaitForWrites()
    {
        var ready = _writes.Reader.WaitToReadAsync();
        return ready.IsCompletedSuccessfully ? ready.Result : ready.AsTask().GetAwaiter().GetResult();
    }

    private bool TryCommitTogether(List<IWrite> batch)
    {
        using var transaction = _writer.BeginTransaction();
        PreparedCommands.Enlist(_writer, transaction);
        try
        {
            foreach (var write in batch)
            {
                write.Run(_writer);
            }
            transaction.Commit();
            return true;
        }
#pragma warning disable CA1031 // any failure sends the batch down the one-by-one path, which reports it to its caller
        catch (Exception)
#pragma warning restore CA1031
        {
            transaction.Rollback();
            return false;
        }
        finally
        {
            PreparedCommands.Enlist(_writer, null);
        }
    }

    private void CommitAlone(IWrite write)
    {
        using var transaction = _writer.BeginTransaction();
        PreparedCommands.Enlist(_writer, transaction);
        try
        {
            write.Run(_writer);
            transaction.Commit();
        }
#pragma warning disable CA1031 // the write's own failure goes back to its caller
        catch (Exception ex)
#pragma warning restore CA1031
        {
            transaction.Rollback();
            write.Fail(ex);
            if (StorageFault.IsStorageFailure(ex))
            {
                _fault?.Report(ex);
            }
        }
        finally
        {
            PreparedCommands.Enlist(_writer, null);
        }
    }

    /// <summary>The value of a numeric pragma on <paramref name="connection"/> (<c>page_size</c>, <c>wal_autocheckpoint</c>).</summary>
    internal static long Pragma(SqliteConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return (long)command.ExecuteScalar()!;
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction taken at once (<c>BEGIN IMMEDIATE</c>): all of it or none,
    /// and two processes opening the same data directory take turns. For upgrades run when a database opens.
    /// </summary>
    public static void InWriteTransaction(SqliteConnection connection, Action<SqliteConnection> work)
    {
        Execute(connection, "BEGIN IMMEDIATE");
        try
        {
            work(connection);
            Execute(connection, "COMMIT");
        }
        catch
        {
            // After some errors (SQLITE_FULL, SQLITE_IOERR) SQLite has already rolled the transaction back itself, and
            // a ROLLBACK would fail with "no transaction is active", hiding the error that matters.
            // https://www.sqlite.org/lang_transaction.html#response_to_errors_within_a_transaction
            if (InTransaction(connection))
            {
                Execute(connection, "ROLLBACK");
            }
            throw;
        }
    }

    /// <summary>True while <paramref name="connection"/> has a transaction open (SQLite is not in autocommit mode).</summary>
    internal static bool InTransaction(SqliteConnection connection) => SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) == 0;

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await _writerDone.Task;
        _checkpointer.Dispose();
        _disposed = true;
        while (_readers.TryTake(out var reader))
        {
            Close(reader);
        }
        RawStatements.Release(_writer);
        _writer.Dispose();
    }

    private interface IWrite
    {
        void Run(SqliteConnection connection);

        void Fail(Exception error);

        void Complete();
    }

    /// <summary>One queued write: its body, then its result or failure once the transaction is settled.</summary>
    private sealed class Write<T>(Func<SqliteConnection, T> body) : IWrite
    {
        private T? _result;
        private Exception? _error;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Run(SqliteConnection connection)
        {
            _error = null;
            _result = body(connection);
        }

        public void Fail(Exception error) => _error = error;

        public void Complete()
        {
            if (_error is not null)
            {
                Completion.TrySetException(_error);
            }
            else
            {
                Completion.TrySetResult(_result!);
            }
        }
    }
}
