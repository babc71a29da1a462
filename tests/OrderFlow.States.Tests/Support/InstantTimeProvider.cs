namespace OrderFlow.States.Tests.Support;

/// <summary>
/// A clock for tests of sequential waits: every timer fires at once and moves the clock forward by its due time,
/// so waits and retry intervals are exact and recorded, and no test sleeps.
/// </summary>
internal sealed class InstantTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset _now = start;

    public InstantTimeProvider() : this(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    public List<TimeSpan> Delays { get; } = [];

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            lock (_gate)
            {
                _now += dueTime;
                Delays.Add(dueTime);
            }
            ThreadPool.QueueUserWorkItem(_ => callback(state));
        }
        return new InertTimer();
    }

    private sealed class InertTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>A random source that always returns the same fraction, to pin jitter.</summary>
internal sealed class FixedRandom(double fraction) : OrderFlow.States.Execution.IRandomSource
{
    public double NextDouble() => fraction;

    public long NextInt64(long minInclusive, long maxExclusive) => minInclusive + (long)((maxExclusive - minInclusive) * fraction);

    public Guid NewGuid() => new("7f2f2a55-1c3e-4a8b-9d2e-0123456789ab");
}
