using System.Globalization;
using System.Text;

namespace OrderFlow.Orders;

public static partial class OrderFileCheck
{
    /// <summary>
    /// RFC 4180 records: a header that names the OrderId column (without it no row is an order), every row as wide as
    /// the header, quotes closed by the end of the file.
    /// </summary>
    private sealed class CsvState
    {
        private readonly StringBuilder _header = new();
        private int _headerFields = -1;
        private int _fields;
        private bool _quoted;
        private long _recordLine;
        private long _recordBytes;

        /// <summary>The records read after the header (blank lines are none).</summary>
        public long Records { get; private set; }

        public string? Check(ReadOnlySpan<byte> text, long line)
        {
            if (Utf8Fault(text) is { } column)
            {
                return $"line {line}, column {column}: not valid UTF-8 (save the file as UTF-8)";
            }
            if (!_quoted)
            {
                if (text.TrimEnd("\r"u8).IsEmpty)
                {
                    return null; // blank line
                }
                _recordLine = line;
                _fields = 1;
                _recordBytes = 0;
            }
            _recordBytes += text.Length;
            if (_recordBytes > MaxOrderBytes)
            {
                return $"line {_recordLine}: the row is over {MaxOrderBytes / 1024} KiB, the most an order may be";
            }
            if (_headerFields < 0)
            {
                _header.Append(Encoding.UTF8.GetString(text.TrimEnd("\r"u8))).Append('\n');
            }
            var atFieldStart = !_quoted;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (_quoted)
                {
                    if (c == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            i++;
                        }
                        else
                        {
                            _quoted = false;
                        }
                    }
                }
                else if (c == '"' && atFieldStart)
                {
                    _quoted = true;
                }
                else if (c == ',')
                {
                    _fields++;
                    atFieldStart = true;
                    continue;
                }
                atFieldStart = false;
            }
            if (_quoted)
            {
                return null; // the quoted field goes on on the next line
            }
            if (_headerFields < 0)
            {
                _headerFields = _fields;
                return HeaderFault(_header.ToString(0, _header.Length - 1), _recordLine);
            }
            Records++;
            if (_fields != _headerFields)
            {
                var wanted = _headerFields.ToString(CultureInfo.InvariantCulture);
                return _fields < _headerFields
                    ? $"line {_recordLine}: {_fields} field(s), but the header has {wanted}: a column is missing"
                    : $"line {_recordLine}: {_fields} fields, but the header has only {wanted}";
            }
            return null;
        }

        // Without an OrderId column every row would be rejected, each with the same puzzling reason: the file is refused
        // at once instead, saying what the header holds and, when it can tell, what is wrong with it.
        private static string? HeaderFault(string header, long line)
        {
            var names = HeaderNames(header);
            if (names.Contains("OrderId", StringComparer.Ordinal))
            {
                return null;
            }
            var columns = string.Join(", ", OrderShapes.CsvColumns);
            var hint = names.Count == 1 && header.IndexOfAny([';', '\t', '|']) is var at and >= 0
                ? $"; it looks separated by '{(header[at] == '\t' ? "\\t" : header[at].ToString())}', but CSV order files are separated by commas"
                : names.FirstOrDefault(n => string.Equals(n.Trim(), "OrderId", StringComparison.OrdinalIgnoreCase)) is { } near
                    ? $"; \"{near}\" must be spelled OrderId (column names are case-sensitive, without spaces around them)"
                    : string.Empty;
            return $"line {line}: the header has no OrderId column, so no row would be an order (the columns are {columns}){hint}";
        }

        private static List<string> HeaderNames(string header)
        {
            var names = new List<string>();
            var name = new StringBuilder();
            var quoted = false;
            for (var i = 0; i < header.Length; i++)
            {
                var c = header[i];
                if (quoted && c == '"' && i + 1 < header.Length && header[i + 1] == '"')
                {
                    name.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = !quoted;
                }
                else if (c == ',' && !quoted)
                {
                    names.Add(name.ToString());
                    name.Clear();
                }
                else
                {
                    name.Append(c);
                }
            }
            names.Add(name.ToString());
            return names;
        }

        public string? AtEnd() => _quoted
            ? $"line {_recordLine}: a quoted field is not closed by the end of the file"
            : _headerFields < 0 ? "no header row" : null;
    }
}
