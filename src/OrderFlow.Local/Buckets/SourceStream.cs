namespace OrderFlow.Local.Buckets;

/// <summary>
/// The content a caller gives a bucket to store, remembering whether reading it failed: an I/O error of the caller's
/// stream (a file that vanished, a network cut) is the caller's and goes back to it, while one of the bucket's own
/// files (the disk full) is the storage's (<see cref="Storage.StorageFault.IsStorageFailure"/>).
/// </summary>
internal sealed class SourceStream(Stream inner) : Stream
{
    /// <summary>True once a read of the caller's stream has thrown.</summary>
    public bool Failed { get; private set; }

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => inner.CanSeek;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return inner.Read(buffer);
        }
        catch
        {
            Failed = true;
            throw;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.ReadAsync(buffer, cancellationToken);
        }
        catch
        {
            Failed = true;
            throw;
        }
    }

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void Flush()
    {
        // Read only: nothing to flush.
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
