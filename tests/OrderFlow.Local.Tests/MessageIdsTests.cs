using OrderFlow.Local.Queues;
using OrderFlow.States.Execution;

namespace OrderFlow.Local.Tests;

public class MessageIdsTests
{
    [Fact]
    public void New_LaterMillisecond_SortsAfter_AndIsAVersion7Uuid()
    {
        var random = SystemRandomSource.Instance;
        var ids = Enumerable.Range(0, 1000).Select(i => MessageIds.New(1_764_000_000_000 + i, random)).ToList();

        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id =>
        {
            var guid = Guid.Parse(id);
            Assert.Equal(7, guid.Version);
            Assert.Equal('7', id[14]);
            Assert.Contains(id[19], "89ab");
        });
    }

    [Fact]
    public void New_SameMillisecond_StillDistinct()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => MessageIds.New(1_764_000_000_000, SystemRandomSource.Instance)).ToHashSet();

        Assert.Equal(1000, ids.Count);
        Assert.All(ids, id => Assert.StartsWith("019a", id, StringComparison.Ordinal));
    }

    [Fact]
    public void New_AnySource_TakesItsRandomBitsFromTheGeneratorNotFromANewGuid()
    {
        var first = MessageIds.New(1_764_000_000_000, new GeneratorOnly(7));
        var again = MessageIds.New(1_764_000_000_000, new GeneratorOnly(7));

        Assert.Equal(first, again); // reproducible from the injected source
        Assert.NotEqual(first, MessageIds.New(1_764_000_000_000, new GeneratorOnly(8)));
    }

    /// <summary>A seeded generator whose GUIDs are off limits (each one a read of the kernel's random device on Linux).</summary>
    private sealed class GeneratorOnly(int seed) : IRandomSource
    {
        private readonly Random _random = new(seed);

        public double NextDouble() => _random.NextDouble();

        public long NextInt64(long minInclusive, long maxExclusive) => _random.NextInt64(minInclusive, maxExclusive);

        public Guid NewGuid() => throw new InvalidOperationException("message ids take no GUID");
    }
}
