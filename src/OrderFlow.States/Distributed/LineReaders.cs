using System.Runtime.CompilerServices;
using System.Text;
using OrderFlow.Json;

namespace OrderFlow.States.Distributed;

/// <summary>JSON Lines and CSV item files, read a line at a time; a bad record is reported with its line number.</summary>
internal static class LineReaders
{
    /// <summary>
    /// CSV (RFC 4180 quoting: fields in double quotes may hold delimiters, line breaks and doubled quotes). Each row
    /// becomes an object of header → string, as Step Functions gives it.
    /// </summary>
    public static async IAsyncEnumerable<JsonValue> CsvAsync(Stream stream, char delimiter, IReadOnlyList<string>? headers, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        long line = 0;
        var names = headers;
        while (true)
        {
            var startLine = line + 1;
            var fields = await ReadRecordAsync(reader, delimiter, () => line++, cancellationToken);
            if (fields is null)
            {
                yield break;
            }
            if (fields.Count == 1 && fields[0].Length == 0)
            {
                continue; // blank line
            }
            if (names is null)
            {
                names = fields;
                continue;
            }
            if (fields.Count > names.Count)
            {
                throw new ItemReaderException($"Line {startLine} of the CSV item file has {fields.Count} fields but the header has {names.Count}.");
            }
            var row = new JsonObjectBuilder(names.Count);
            for (var i = 0; i < names.Count; i++)
            {
                row.Set(names[i], i < fields.Count ? fields[i] : string.Empty);
            }
            yield return row.Build();
        }
    }

    private static async Task<List<string>?> ReadRecordAsync(StreamReader reader, char delimiter, Action countLine, CancellationToken cancellationToken)
    {
        var text = await reader.ReadLineAsync(cancellationToken);
        if (text is null)
        {
            return null;
        }
        countLine();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var i = 0;
        while (true)
        {
            if (i == text.Length)
            {
                if (!quoted)
                {
                    fields.Add(field.ToString());
                    return fields;
                }
                // A quoted field continues on the next line.
                text = await reader.ReadLineAsync(cancellationToken) ?? throw new ItemReaderException("The CSV item file ends inside a quoted field.");
                countLine();
                field.Append('\n');
                i = 0;
                continue;
            }
            var c = text[i++];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i < text.Length && text[i] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == delimiter)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }
    }
}
