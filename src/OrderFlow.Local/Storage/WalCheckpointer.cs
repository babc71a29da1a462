using Microsoft.Data.Sqlite;

namespace OrderFlow.Local.Storage;

/// <summary>
/// Copies a WAL database's log into the database on a thread and connection of its own, so that the writer does not.
/// SQLite's automatic checkpoint runs inside the commit that crosses its threshold: in a busy run the writer spent 40–60
/// ms copying 32 MiB of pages every third of a second, and every write queued behind it (every batch in flight) waited
/// that long while a core idled (docs/performance.md). Here the writer's automatic checkpoint is off, and passive
/// checkpoints run beside its commits (https://www.sqlite.org/c3ref/wal_checkpoint_v2.html, SQLITE_CHECKPOINT_PASSIVE:
/// no reader or writer waits for one).
/// </summary>
/// <remarks>
/// A log starts over from its beginning only when a write transaction begins while every frame in it has been copied
/// (https://www.sqlite.org/wal.html#avoiding_excessively_large_wal_files), and the writer begins its next transaction
/// as soon as it commits, while passes copy beside it. So once a pass finds the log at <see cref="RestartFrames"/> or
/// more, a second, short pass copies what was committed during the first, and the writer is asked to copy the few
/// frames committed since itself, between two transactions (<see cref="CopyRestIfAsked"/>): its next transaction
/// then starts the log over, as SQLite's own checkpoint would have, for a fraction of the copying.
/// </remarks>
internal sealed class WalCheckpointer : IDisposable
{
    /// <summary>How long the checkpointer rests after a pass, so that a page written by many commits is copied once.</summary>
    /// <remarks>
    /// 100 ms: each pass copies about a tenth of a second of commits. With 50 ms the cores idled as little, and the
    /// checkpointer used more CPU for pages it had just copied (docs/performance.md).
    /// </remarks>
    public static readonly TimeSpan DefaultPause = TimeSpan.FromMilliseconds(100);

    private readonly SqliteConnection _connection;
    private readonly TimeSpan _pause;
    private readonly AutoResetEvent _committed = new(false);
    private readonly ManualResetEventSlim _stopping = new(false);
    private readonly Thread _thread;
    private volatile bool _writerShouldCheckpoint;

    public WalCheckpointer(string connectionString, long restartFrames, TimeSpan pause)
    {
        RestartFrames = restartFrames;
        _pause = pause;
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        // Synced as the writer's own checkpoint was: the log before its pages are copied, the database after.
        SqliteDatabase.Execute(_connection, "PRAGMA synchronous=FULL;");
        _thread = new Thread(Loop) { IsBackground = true, Name = "OrderFlow checkpointer" };
        _thread.Start();
    }

    /// <summary>The log's length, in frames (pages), from which it is copied whole so that it starts over.</summary>
    public long RestartFrames { get; }

    /// <summary>Told by the writer after each commit: there is something to copy.</summary>
    public void Committed() => _committed.Set();

    /// <summary>True once after a pass found the log long enough to start over (<see cref="CopyRestIfAsked"/>).</summary>
    internal bool TakeWriterCheckpoint()
    {
        if (!_writerShouldCheckpoint)
        {
            return false;
        }
        _writerShouldCheckpoint = false;
        return true;
    }

    /// <summary>
    /// Called by the writer between two transactions: when a pass asked for it, copies the frames committed since that
    /// pass, so that the writer's next transaction starts the log over.
    /// </summary>
    public void CopyRestIfAsked(SqliteConnection writer)
    {
        if (TakeWriterCheckpoint())
        {
            TryPassive(writer);
        }
    }

    private void Loop()
    {
        while (WaitHandle.WaitAny([_committed, _stopping.WaitHandle]) == 0)
        {
            // A failed pass (a disk error) leaves the log longer: the writer is asked to copy it, and meets the error
            // in its own commits if it lasts.
            var pass = TryPassive(_connection);
            if (pass is { Busy: false } copied && copied.Log >= RestartFrames)
            {
                TryPassive(_connection);
                _writerShouldCheckpoint = true;
            }
            else if (pass is null)
            {
                _writerShouldCheckpoint = true;
            }
            if (_stopping.Wait(_pause))
            {
                return;
            }
        }
    }

    /// <summary><see cref="Passive"/>, or null when SQLite failed it: a checkpoint left undone is done by a later one.</summary>
    private static (bool Busy, long Log, long Copied)? TryPassive(SqliteConnection connection)
    {
        try
        {
            return Passive(connection);
        }
#pragma warning disable CA1031 // a failed checkpoint loses nothing: the log keeps every frame until one succeeds
        catch (SqliteException)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    /// <summary>One passive checkpoint: whether another checkpoint held the log, its length in frames, and how many of them are copied.</summary>
    public static (bool Busy, long Log, long Copied) Passive(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0) != 0, reader.GetInt64(1), reader.GetInt64(2));
    }

    public void Dispose()
    {
        _stopping.Set();
        _thread.Join();
        _connection.Dispose();
        _committed.Dispose();
        _stopping.Dispose();
    }
}
