using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace OrderFlow.Local.Storage;

/// <summary>
/// One SQLite database in WAL mode with a single writer that commits in groups: concurrent writes queue up, the
/// writer runs every queued write in one transaction and commits once (fsync'd, <c>synchronous=FULL</c>), then
/// completes them all. Each write is durable when its task completes, no caller ever meets "database is locked",
/// and throughput grows with concurrency. Reads use their own connections and never wait for the writer.
/// </summary>
public sealed class SqliteDatabase : IAsyncDisposable
{
    private const int MaxBatch = 2048;

    private readonly string _connectionString;
    private readonly Channel<IWrite> _writes = Channel.CreateUnbounded<IWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _writer;
    private readonly Task _writerLoop;

    public SqliteDatabase(string path, IEnumerable<string> schema)
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
        _writer = new SqliteConnection(_connectionString);
        _writer.Open();
        Execute(_writer, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;");
        foreach (var statement in schema)
        {
            Execute(_writer, statement);
        }
        _writerLoop = Task.Factory.StartNew(WriterLoopAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Runs <paramref name="write"/> on the writer connection inside a group transaction; completes once committed.</summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, T> write, CancellationToken cancellationToken)
    {
        var request = new Write<T>(write);
        ObjectDisposedException.ThrowIf(!_writes.Writer.TryWrite(request), this);
        return request.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Runs <paramref name="read"/> on a pooled read connection (sees every committed write).</summary>
    public T Read<T>(Func<SqliteConnection, T> read)
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return read(connection);
    }

    private async Task WriterLoopAsync()
    {
        var batch = new List<IWrite>(MaxBatch);
        while (await _writes.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _writes.Reader.TryRead(out var write))
            {
                batch.Add(write);
            }
            using (var transaction = _writer.BeginTransaction())
            {
                foreach (var write in batch)
                {
                    write.Run(_writer, transaction);
                }
                try
                {
                    transaction.Commit();
                }
                catch (SqliteException ex)
                {
                    foreach (var write in batch)
                    {
                        write.Abort(ex);
                    }
                    batch.Clear();
                    continue;
                }
            }
            foreach (var write in batch)
            {
                write.Complete();
            }
            batch.Clear();
        }
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await _writerLoop;
        _writer.Dispose();
        SqliteConnection.ClearAllPools();
    }

    private interface IWrite
    {
        void Run(SqliteConnection connection, SqliteTransaction transaction);

        void Complete();

        void Abort(Exception error);
    }

    /// <summary>One queued write. A write that throws is rolled back alone (savepoint); the others still commit.</summary>
    private sealed class Write<T>(Func<SqliteConnection, T> body) : IWrite
    {
        private T? _result;
        private Exception? _error;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Run(SqliteConnection connection, SqliteTransaction transaction)
        {
            transaction.Save("w");
            try
            {
                _result = body(connection);
                transaction.Release("w");
            }
#pragma warning disable CA1031 // the write's own failure goes back to its caller, not to the batch
            catch (Exception ex)
#pragma warning restore CA1031
            {
                transaction.Rollback("w");
                _error = ex;
            }
        }

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

        public void Abort(Exception error) => Completion.TrySetException(error);
    }
}
