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
}
