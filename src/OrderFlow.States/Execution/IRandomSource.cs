namespace OrderFlow.States.Execution;

/// <summary>All randomness the engine uses (retry jitter, States.MathRandom, States.UUID), injectable for tests.</summary>
public interface IRandomSource
{
    /// <summary>A value in [0, 1).</summary>
    double NextDouble();

    /// <summary>An integer in [minInclusive, maxExclusive).</summary>
    long NextInt64(long minInclusive, long maxExclusive);

    /// <summary>A version 4 UUID.</summary>
    Guid NewGuid();
}

/// <summary>The default source, backed by <see cref="Random.Shared"/>.</summary>
public sealed class SystemRandomSource : IRandomSource
{
    public static readonly SystemRandomSource Instance = new();

    public double NextDouble() => Random.Shared.NextDouble();

    public long NextInt64(long minInclusive, long maxExclusive) => Random.Shared.NextInt64(minInclusive, maxExclusive);

    public Guid NewGuid() => Guid.NewGuid();
}

/// <summary>A reproducible source for tests and replays.</summary>
public sealed class SeededRandomSource(int seed) : IRandomSource
{
    private readonly Random _random = new(seed);
    private readonly Lock _gate = new();

    public double NextDouble()
    {
        lock (_gate)
        {
            return _random.NextDouble();
        }
    }

    public long NextInt64(long minInclusive, long maxExclusive)
    {
        lock (_gate)
        {
            return _random.NextInt64(minInclusive, maxExclusive);
        }
    }

    public Guid NewGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        lock (_gate)
        {
            _random.NextBytes(bytes);
        }
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes);
    }
}
