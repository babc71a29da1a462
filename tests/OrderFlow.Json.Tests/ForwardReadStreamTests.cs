namespace OrderFlow.Json.Tests;

/// <summary>A forward-only stream needs only its span and memory reads: the rest is refused or routed by the base.</summary>
public class ForwardReadStreamTests
{
    private sealed class Bytes(byte[] data) : ForwardReadStream
    {
        private int _at;

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(buffer.Length, data.Length - _at);
            data.AsSpan(_at, n).CopyTo(buffer);
            _at += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));
    }

    [Fact]
    public async Task ArrayReads_AnyOffset_GoToTheSpanAndMemoryReads()
    {
        using var stream = new Bytes([1, 2, 3, 4, 5]);
        var buffer = new byte[8];

        Assert.Equal(2, stream.Read(buffer, 1, 2));
#pragma warning disable CA1835 // the array overload is what this test is about
        Assert.Equal(3, await stream.ReadAsync(buffer, 3, 5, CancellationToken.None));
#pragma warning restore CA1835
        Assert.Equal(0, stream.Read(buffer, 0, 8));
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4, 5, 0, 0 }, buffer);
    }

    [Fact]
    public void SeekingWritingAndLength_AnyStream_Refused()
    {
        using var stream = new Bytes([1]);

        Assert.True(stream.CanRead);
        Assert.False(stream.CanSeek);
        Assert.False(stream.CanWrite);
        Assert.Throws<NotSupportedException>(() => stream.Length);
        Assert.Throws<NotSupportedException>(() => stream.Position);
        Assert.Throws<NotSupportedException>(() => stream.Seek(0, SeekOrigin.Begin));
        Assert.Throws<NotSupportedException>(() => stream.SetLength(1));
        Assert.Throws<NotSupportedException>(() => stream.Write([1], 0, 1));
    }
}
