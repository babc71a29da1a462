using Microsoft.Win32.SafeHandles;
using OrderFlow.Json;

namespace OrderFlow.Local.Buckets;

/// <summary>
/// Reads a file from start to end past the page cache (<see cref="DirectFileWriter"/>), in aligned chunks, the next
/// chunk read while the caller works through the current one. For large objects, which the Distributed Map reads once:
/// their bytes are not copied into new page-cache pages on the way.
/// </summary>
internal sealed class DirectReadStream : ForwardReadStream
{
    private const int ChunkSize = 1 << 20;

    private readonly SafeFileHandle _handle;
    private readonly long _length;
    private AlignedBuffer _current = new(ChunkSize);
    private AlignedBuffer _next = new(ChunkSize);
    private Task<int>? _pending;
    private long _nextOffset;
    private int _start;
    private int _end;
    private long _consumed;

    private DirectReadStream(SafeFileHandle handle, bool direct)
    {
        _handle = handle;
        _length = RandomAccess.GetLength(handle);
        Direct = direct;
    }

    /// <summary>Whether reads bypass the page cache.</summary>
    public bool Direct { get; }

    /// <summary>The file opened for direct reads, or null where the system or the file system has none.</summary>
    public static DirectReadStream? TryOpen(string path)
    {
        var stream = Open(path, tryDirect: true);
        if (stream.Direct)
        {
            return stream;
        }
        stream.Dispose();
        return null;
    }

    /// <summary>The file opened for reads in aligned chunks, past the page cache if <paramref name="tryDirect"/> and the file system allows it.</summary>
    internal static DirectReadStream Open(string path, bool tryDirect)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        return new DirectReadStream(handle, tryDirect && DirectFileWriter.TryMakeDirect(handle));
    }

    public override long Length => _length;

    public override long Position
    {
        get => _consumed;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        if (_start == _end && !Fill(CancellationToken.None).AsTask().GetAwaiter().GetResult())
        {
            return 0;
        }
        return Take(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_start == _end && !await Fill(cancellationToken))
        {
            return 0;
        }
        return Take(buffer.Span);
    }

    private int Take(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, _end - _start);
        _current.Span.Slice(_start, n).CopyTo(buffer);
        _start += n;
        _consumed += n;
        return n;
    }

    /// <summary>Makes the chunk read ahead the current one and starts reading the one after it; false at the end.</summary>
    private async ValueTask<bool> Fill(CancellationToken cancellationToken)
    {
        _pending ??= StartRead();
        var read = await _pending.WaitAsync(cancellationToken);
        _pending = null;
        (_current, _next) = (_next, _current);
        _start = 0;
        _end = read;
        if (read == 0)
        {
            return false;
        }
        if (_nextOffset < _length)
        {
            _pending = StartRead();
        }
        return true;
    }

    private Task<int> StartRead()
    {
        var offset = _nextOffset;
        var target = _next;
        _nextOffset += ChunkSize;
        return offset >= _length ? Task.FromResult(0) : RandomAccess.ReadAsync(_handle, target.Memory, offset).AsTask();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // A read still running fills a buffer nobody reads; the handle waits for it.
            if (_pending is { } pending)
            {
                pending.ContinueWith(_ => _handle.Dispose(), TaskScheduler.Default);
            }
            else
            {
                _handle.Dispose();
            }
        }
        base.Dispose(disposing);
    }
}
