using System.Buffers;

namespace OrderFlow.Json;

/// <summary>
/// Splits a stream of UTF-8 text into lines without decoding it: <see cref="NextAsync"/> reads up to the next
/// <c>\n</c> and <see cref="Current"/> is that line's bytes, without the <c>\n</c> or a <c>\r</c> before it, valid until
/// the next call. A leading UTF-8 byte order mark is skipped (<see cref="ByteOrderMark"/> tells which one the text
/// began with, so a caller can refuse UTF-16 or UTF-32). Lines may be as long as memory allows; the buffer grows to
/// the longest line and is pooled. A reader given <c>startOfText: false</c> (a stream that starts mid-text, after a
/// line end) takes leading bytes as text, not as a byte order mark.
/// </summary>
public sealed class Utf8LineReader(Stream stream, bool startOfText = true) : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
    private int _start;
    private int _end;
    private int _lineStart;
    private int _lineLength;
    private int _searched;
    private bool _endOfStream;
    private bool _started = !startOfText;
    private long _line;

    /// <summary>"UTF-8", "UTF-16" or "UTF-32" when the text began with that byte order mark; null otherwise.</summary>
    public string? ByteOrderMark { get; private set; }

    /// <summary>The current line's bytes.</summary>
    public ReadOnlySpan<byte> Current => _buffer.AsSpan(_lineStart, _lineLength);

    /// <summary>The next line's number (1-based), or null at the end of the stream.</summary>
    public async ValueTask<long?> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            // Bytes already searched are not searched again, so a very long line is scanned once, not once per read.
            var newline = _buffer.AsSpan(_start + _searched, _end - _start - _searched).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                newline += _searched;
            }
            else
            {
                _searched = _end - _start;
            }
            if ((newline < 0 || !_started && _end - _start < 4) && !_endOfStream)
            {
                await FillAsync(cancellationToken);
                continue;
            }
            if (!_started)
            {
                _started = true;
                _start += SkipByteOrderMark(_buffer.AsSpan(_start, _end - _start));
                _searched = 0;
                continue;
            }
            if (_start == _end && _endOfStream)
            {
                return null;
            }
            var lineEnd = newline < 0 ? _end : _start + newline;
            _lineStart = _start;
            _lineLength = lineEnd - _start;
            if (_lineLength > 0 && _buffer[lineEnd - 1] == '\r')
            {
                _lineLength--;
            }
            _start = newline < 0 ? _end : lineEnd + 1;
            _searched = 0;
            return ++_line;
        }
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            Buffer.BlockCopy(_buffer, 0, larger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        _endOfStream = read == 0;
        _end += read;
    }

    private int SkipByteOrderMark(ReadOnlySpan<byte> head)
    {
        if (Utf8ByteOrderMark.StartsWith(head))
        {
            ByteOrderMark = "UTF-8";
            return Utf8ByteOrderMark.Bytes.Length;
        }
        if (head.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]) || head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00]))
        {
            ByteOrderMark = "UTF-32";
        }
        else if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            ByteOrderMark = "UTF-16";
        }
        return 0;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
