namespace OrderFlow.States.Tests.Distributed;

/// <summary>A stream that hands out at most a few bytes per read, so that values straddle every buffer boundary.</summary>
internal sealed class TrickleStream(byte[] content, int chunk) : MemoryStream(content)
{
    public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
}
