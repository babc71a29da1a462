namespace OrderFlow.States.Distributed;

/// <summary>A thread-safe count of finished Distributed Map child executions (one per item, or per batch).</summary>
public sealed class ChildCounter
{
    private long _completed;

    /// <summary>Children finished so far, succeeded or failed.</summary>
    public long Completed => Interlocked.Read(ref _completed);

    internal void Increment() => Interlocked.Increment(ref _completed);
}
