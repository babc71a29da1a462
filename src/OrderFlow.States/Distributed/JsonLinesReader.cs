using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;
using OrderFlow.Json;

namespace OrderFlow.States.Distributed;

/// <summary>
/// JSON Lines (https://jsonlines.org/): one UTF-8 JSON value per line, lines ending in <c>\n</c> or <c>\r\n</c>, blank
/// lines skipped, a leading UTF-8 byte order mark ignored. Lines are parsed straight from the bytes read (no string
/// per line); a line may be as long as memory allows. A line that is not UTF-8 or not JSON stops the reader with its
/// line number, as does a file in UTF-16 or UTF-32 (JSON exchanged between systems is UTF-8: RFC 8259 §8.1).
/// </summary>
internal static class JsonLinesReader
{
    private const int InitialBuffer = 1 << 16;

    public static async IAsyncEnumerable<JsonValue> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
        int start = 0, end = 0;
        long line = 0;
        var endOfFile = false;
        var atStart = true;
        try
        {
            while (true)
            {
                var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
                if (newline < 0 && !endOfFile || atStart && end - start < 4 && !endOfFile)
                {
                    if (start > 0)
                    {
                        Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                        end -= start;
                        start = 0;
                    }
                    if (end == buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        Buffer.BlockCopy(buffer, 0, larger, 0, end);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                    var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken);
                    endOfFile = read == 0;
                    end += read;
                    continue;
                }
                if (atStart)
                {
                    start += ByteOrderMarkLength(buffer.AsSpan(start, end - start));
                    atStart = false;
                    continue;
                }
                if (start == end && endOfFile)
                {
                    yield break;
                }
                var lineEnd = newline < 0 ? end : start + newline;
                line++;
                var value = ParseLine(buffer.AsSpan(start, lineEnd - start), line);
                start = newline < 0 ? end : lineEnd + 1;
                if (value is not null)
                {
                    yield return value;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int ByteOrderMarkLength(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return 3;
        }
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])
            || head.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]))
        {
            throw new ItemReaderException("The JSON Lines item file is UTF-16 or UTF-32 (it starts with that byte order mark); JSON Lines files must be UTF-8.");
        }
        return 0;
    }

    /// <summary>The line's value, or null for a blank line.</summary>
    private static JsonValue? ParseLine(ReadOnlySpan<byte> text, long line)
    {
        if (text.Length > 0 && text[^1] == '\r')
        {
            text = text[..^1];
        }
        if (text.Trim(" \t\r\f\v"u8).IsEmpty)
        {
            return null;
        }
        if (!Utf8.IsValid(text))
        {
            throw new ItemReaderException($"Line {line} of the JSON Lines item file is not valid UTF-8 (first bad byte at column {FirstInvalidByte(text) + 1}); save the file as UTF-8.");
        }
        try
        {
            return JsonValue.Parse(text);
        }
        catch (JsonParseException ex)
        {
            throw new ItemReaderException($"Line {line} of the JSON Lines item file is not valid JSON: {ex.Message}");
        }
    }

    private static int FirstInvalidByte(ReadOnlySpan<byte> text)
    {
        Span<char> sink = stackalloc char[256];
        var offset = 0;
        while (true)
        {
            var status = Utf8.ToUtf16(text[offset..], sink, out var read, out _, replaceInvalidSequences: false);
            offset += read;
            if (status != OperationStatus.DestinationTooSmall)
            {
                return offset;
            }
        }
    }
}
