namespace OrderFlow.Local.Storage;

/// <summary>
/// The first failure of the data directory's storage itself (the disk full, an I/O error; see
/// <see cref="IsStorageFailure"/>), reported by the embedded services that met it. Its token cancels the
/// running executions at once: their retries could not succeed before space is freed, and their writes are
/// transactions, so a cancelled one leaves nothing half-done. Processing the same file again afterwards stores nothing
/// twice.
/// </summary>
public sealed class StorageFault : IDisposable
{
    private readonly CancellationTokenSource _failed = new();
    private Exception? _first;

    /// <summary>The first storage failure met, or null while there has been none.</summary>
    public Exception? First => Volatile.Read(ref _first);

    /// <summary>Cancelled once a storage failure has been met.</summary>
    public CancellationToken Token => _failed.Token;

    /// <summary>
    /// True for an error of the storage itself, not of the request: the disk full (SQLITE_FULL), an I/O error
    /// (SQLITE_IOERR, or an IOException of a bucket's files), a read-only or unopenable file, a corrupt database. A service reports it as its internal
    /// error, as AWS reports a failure on its side, and the caller may retry once the cause is gone.
    /// https://www.sqlite.org/rescode.html
    /// </summary>
    public static bool IsStorageFailure(Exception exception) => exception switch
    {
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteErrorCode is 8 /* READONLY */ or 10 /* IOERR */ or 11 /* CORRUPT */ or 13 /* FULL */ or 14 /* CANTOPEN */ or 26 /* NOTADB */,
        IOException => true,
        _ => false,
    };

    /// <summary>Records <paramref name="exception"/> when it is the first, and cancels <see cref="Token"/>.</summary>
    public void Report(Exception exception)
    {
        if (Interlocked.CompareExchange(ref _first, exception, null) is null)
        {
            // Not on the reporting thread (the SQLite writer's, or a request's): the executions' cancellation callbacks run elsewhere.
            _ = Task.Run(Cancel);
        }
    }

    private void Cancel()
    {
        try
        {
            _failed.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The services closed meanwhile: nothing is running any more.
        }
    }

    public void Dispose() => _failed.Dispose();
}
