namespace OrderFlow.Local.Storage;

/// <summary>
/// The first failure of the data directory's storage itself (the disk full, an I/O error; see
/// <see cref="SqliteDatabase.IsStorageFailure"/>), reported by the embedded services that met it. Its token cancels the
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
