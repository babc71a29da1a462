using System.Buffers;
using System.Text;
using System.Text.Json;

namespace OrderFlow.Json;

/// <summary>Malformed JSON text, located by line and column (both 1-based).</summary>
public sealed class JsonParseException(string message, long line, long column, Exception? inner = null)
    : Exception(message, inner)
{
    public long Line { get; } = line;

    public long Column { get; } = column;
}

/// <summary>Reads JSON text into immutable <see cref="JsonValue"/> trees.</summary>
internal static class JsonParser
{
    /// <summary>Deeper documents are rejected with a clear error instead of risking the stack.</summary>
    public const int MaxDepth = 1000;

    private static readonly JsonReaderOptions Options = new()
    {
        MaxDepth = MaxDepth,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    public static JsonValue Parse(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length >= 3 && utf8[0] == 0xEF && utf8[1] == 0xBB && utf8[2] == 0xBF)
        {
            utf8 = utf8[3..];
        }
        var reader = new Utf8JsonReader(utf8, Options);
        try
        {
            if (!reader.Read())
            {
                throw new JsonParseException("Malformed JSON at line 1, column 1: the document is empty.", 1, 1);
            }
            var value = ReadValue(ref reader, new NameCache());
            if (reader.Read())
            {
                throw Located("unexpected content after the end of the JSON value", reader.CurrentState, utf8, reader.TokenStartIndex);
            }
            return value;
        }
        catch (JsonException ex)
        {
            var line = (ex.LineNumber ?? 0) + 1;
            var column = (ex.BytePositionInLine ?? 0) + 1;
            var reason = ex.Message;
            var cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut > 0)
            {
                reason = reason[..cut].TrimEnd('.', ' ');
            }
            throw new JsonParseException($"Malformed JSON at line {line}, column {column}: {reason}.", line, column, ex);
        }
    }

    private static JsonParseException Located(string reason, JsonReaderState state, ReadOnlySpan<byte> utf8, long offset)
    {
        _ = state;
        long line = 1, column = 1;
        for (var i = 0; i < offset && i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column++;
            }
        }
        return new JsonParseException($"Malformed JSON at line {line}, column {column}: {reason}.", line, column);
    }

    /// <summary>JSON allows repeated names; as most parsers do, the last value wins, at the first one's position.</summary>
    private static KeyValuePair<string, JsonValue>[] WithoutDuplicates(List<KeyValuePair<string, JsonValue>> members)
    {
        var seen = new Dictionary<string, int>(members.Count, StringComparer.Ordinal);
        var result = new List<KeyValuePair<string, JsonValue>>(members.Count);
        foreach (var member in members)
        {
            if (seen.TryGetValue(member.Key, out var at))
            {
                result[at] = member;
            }
            else
            {
                seen[member.Key] = result.Count;
                result.Add(member);
            }
        }
        return [.. result];
    }

    private static JsonValue ReadValue(ref Utf8JsonReader reader, NameCache names)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var members = new List<KeyValuePair<string, JsonValue>>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var name = names.Get(ref reader);
                    reader.Read();
                    members.Add(new(name, ReadValue(ref reader, names)));
                }
                return JsonObject.FromMembers(WithoutDuplicates(members));
            case JsonTokenType.StartArray:
                var items = new List<JsonValue>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(ref reader, names));
                }
                return items.Count == 0 ? JsonArray.Empty : new JsonArray([.. items]);
            case JsonTokenType.String:
                var s = reader.GetString()!;
                return s.Length == 0 ? JsonString.Empty : new JsonString(s);
            case JsonTokenType.Number:
                return JsonNumber.FromLiteral(Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan));
            case JsonTokenType.True:
                return JsonValue.True;
            case JsonTokenType.False:
                return JsonValue.False;
            case JsonTokenType.Null:
                return JsonValue.Null;
            default:
                throw new JsonException($"unexpected token {reader.TokenType}", null, reader.CurrentState.Options.MaxDepth, reader.TokenStartIndex);
        }
    }

    /// <summary>
    /// Shares one string per distinct property name within a document: an order file repeats the same few names
    /// millions of times, and each copy would otherwise stay in memory with its object.
    /// </summary>
    private sealed class NameCache
    {
        private const int MaxCachedLength = 64;
        private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

        public NameCache() => _lookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();

        public string Get(ref Utf8JsonReader reader)
        {
            if (reader.HasValueSequence || reader.ValueIsEscaped || reader.ValueSpan.Length > MaxCachedLength || _names.Count > 10_000)
            {
                return reader.GetString()!;
            }
            Span<char> chars = stackalloc char[MaxCachedLength];
            var length = Encoding.UTF8.GetChars(reader.ValueSpan, chars);
            if (_lookup.TryGetValue(chars[..length], out var cached))
            {
                return cached;
            }
            var name = new string(chars[..length]);
            _names[name] = name;
            return name;
        }
    }
}
