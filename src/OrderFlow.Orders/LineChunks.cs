using OrderFlow.Json;

namespace OrderFlow.Orders;

/// <summary>
/// Splits a large file of lines into one chunk per core, each starting just after a line end, so that the chunks can
/// be read side by side and their lines are exactly the file's lines.
/// </summary>
internal static class LineChunks
{
    /// <summary>Files smaller than this are read in one pass: splitting would cost more than it saves.</summary>
    public const long MinimumBytes = 16L << 20;

    // How far past a split point a line end is looked for; a line longer than this is refused by the check anyway, and
    // the one-pass check names it.
    private const int SearchBytes = 1 << 20;

    /// <summary>
    /// The chunks of <paramref name="stream"/> (a file), or null when it should be read in one pass: small, a single
    /// core, or a split point with no line end near it.
    /// </summary>
    public static async Task<IReadOnlyList<(long Start, long End)>?> SplitAsync(Stream stream, CancellationToken cancellationToken)
    {
        var cores = Math.Min(Environment.ProcessorCount, 8);
        if (stream is not FileStream { CanSeek: true } file || file.Length < MinimumBytes || cores < 2)
        {
            return null;
        }
        try
        {
            return await SplitAsync(file, cores, cancellationToken);
        }
        finally
        {
            file.Position = 0; // whoever reads the file next reads it from its start
        }
    }

    private static async Task<IReadOnlyList<(long Start, long End)>?> SplitAsync(FileStream file, int cores, CancellationToken cancellationToken)
    {
        var length = file.Length;
        var buffer = new byte[SearchBytes];
        var chunks = new List<(long Start, long End)>(cores);
        var start = 0L;
        for (var i = 1; i < cores; i++)
        {
            var target = Math.Max(start, length * i / cores);
            file.Position = target;
            var read = await file.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
            var newline = buffer.AsSpan(0, read).IndexOf((byte)'\n');
            if (newline < 0)
            {
                return null;
            }
            var end = target + newline + 1;
            if (end >= length)
            {
                break;
            }
            chunks.Add((start, end));
            start = end;
        }
        chunks.Add((start, length));
        return chunks.Count > 1 ? chunks : null;
    }

    /// <summary>A stream of one chunk of the file at <paramref name="path"/>.</summary>
    public static Stream Open(string path, (long Start, long End) chunk)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true) { Position = chunk.Start };
        return new Slice(file, chunk.End - chunk.Start);
    }

    /// <summary>The next <c>length</c> bytes of a stream, read forwards only; disposing it disposes the stream.</summary>
    private sealed class Slice(Stream inner, long length) : ForwardReadStream
    {
        private long _left = length;

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer[..(int)Math.Min(buffer.Length, _left)]);
            _left -= read;
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _left)], cancellationToken);
            _left -= read;
            return read;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await base.DisposeAsync();
        }
    }
}
