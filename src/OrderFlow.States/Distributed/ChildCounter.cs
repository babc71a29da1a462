namespace OrderFlow.States.Distributed;

/// <summary>A thread-safe count of the items that finished Distributed Map child executions have handled (a batch counts its items).</summary>
public sealed class ChildCounter
{
    private long _completed;

    /// <summary>Items handled so far by finished children, succeeded or failed.</summary>
    public long Completed => Interlocked.Read(ref _completed);

    internal void Add(long items) => Interlocked.Add(ref _completed, items);
}
