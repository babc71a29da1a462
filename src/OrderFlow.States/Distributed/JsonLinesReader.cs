using System.Runtime.CompilerServices;
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
    public static async IAsyncEnumerable<JsonValue> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var lines = new Utf8LineReader(stream);
        while (await lines.NextAsync(cancellationToken) is { } line)
        {
            if (lines.ByteOrderMark is "UTF-16" or "UTF-32")
            {
                throw new ItemReaderException($"The JSON Lines item file is {lines.ByteOrderMark} (it starts with that byte order mark); JSON Lines files must be UTF-8.");
            }
            if (ParseLine(lines.Current, line) is { } value)
            {
                yield return value;
            }
        }
    }

    /// <summary>The line's value, or null for a blank line.</summary>
    private static JsonValue? ParseLine(ReadOnlySpan<byte> text, long line)
    {
        if (text.Trim(" \t\r\f\v"u8).IsEmpty)
        {
            return null;
        }
        if (!Utf8.IsValid(text))
        {
            throw new ItemReaderException($"Line {line} of the JSON Lines item file is not valid UTF-8; save the file as UTF-8.");
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
}
