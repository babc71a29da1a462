using Microsoft.Extensions.Time.Testing;
using OrderFlow.Cli.Commands;

namespace OrderFlow.Cli.Tests;

/// <summary>When <c>watch</c> takes a file as landed: at once when it was written long enough ago, else once it stops changing.</summary>
public sealed class LandedFileTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task SettledAsync_FileLastWrittenBeforeTheSettleTime_LandedAtOnce()
    {
        var file = _dir.Write("old.jsonl", "{}\n");
        var time = new FakeTimeProvider(File.GetLastWriteTimeUtc(file) + LandedFile.Settle);

        var settled = LandedFile.SettledAsync(file, time, CancellationToken.None);

        // No wait at all: the fake clock is never advanced, so any delay would leave the task pending.
        Assert.True(settled.IsCompletedSuccessfully);
        Assert.True(await settled);
    }

    [Fact]
    public async Task SettledAsync_FileJustWritten_LandedOnceItsSizeHeldForTheSettleTime()
    {
        var file = _dir.Write("new.jsonl", "{}\n");
        var time = new FakeTimeProvider(File.GetLastWriteTimeUtc(file));

        var settled = LandedFile.SettledAsync(file, time, CancellationToken.None);
        Assert.False(settled.IsCompleted); // it may still be growing: it waits
        time.Advance(LandedFile.Settle);

        Assert.True(await settled.WaitAsync(TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task SettledAsync_FileGone_NotLanded()
    {
        Assert.False(await LandedFile.SettledAsync(_dir.Combine("missing.jsonl"), new FakeTimeProvider(), CancellationToken.None));
    }
}
