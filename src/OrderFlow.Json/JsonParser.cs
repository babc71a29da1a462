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
internal static partial class JsonParser
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
        if (Utf8ByteOrderMark.StartsWith(utf8))
        {
            utf8 = utf8[Utf8ByteOrderMark.Bytes.Length..];
        }
        return TryParsePlain(utf8) ?? ParseWithReader(utf8);
    }

    /// <summary>Any document, read by <see cref="Utf8JsonReader"/>, which words every fault with its line and column.</summary>
    internal static JsonValue ParseWithReader(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, Options);
        try
        {
            if (!reader.Read())
            {
                throw new JsonParseException("Malformed JSON at line 1, column 1: the document is empty.", 1, 1);
            }
            var context = ParseContext.Rent();
            var value = ReadValue(ref reader, context);
            context.Return();
            if (reader.Read())
            {
                throw Located("unexpected content after the end of the JSON value", reader.CurrentState, utf8, reader.TokenStartIndex);
            }
            return value;
        }
        catch (UndecodableStringException ex)
        {
            throw Located(ex.Message, reader.CurrentState, utf8, reader.TokenStartIndex);
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

    /// <summary>
    /// The size of the current string or name as compact JSON text (quotes included) when it is plain printable ASCII,
    /// else -1. Told from its bytes: a string that the reader passes unescaped holds no quote, backslash or control
    /// character, so it is plain when no byte is DEL or beyond ASCII.
    /// </summary>
    private static int PlainSize(ref Utf8JsonReader reader) =>
        !reader.ValueIsEscaped && !reader.HasValueSequence && PlainText.IsPlainUnescapedUtf8(reader.ValueSpan)
            ? reader.ValueSpan.Length + 2
            : -1;

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

    /// <param name="interned">Every name came from the <see cref="NameTable"/>, whose names are interned: two names are then
    /// the same exactly when they are the same string, and no characters need comparing.</param>
    private static bool HasDuplicates(List<KeyValuePair<string, JsonValue>> members, bool interned)
    {
        if (interned && members.Count <= 16)
        {
            for (var i = 1; i < members.Count; i++)
            {
                for (var j = 0; j < i; j++)
                {
                    if ((object)members[i].Key == members[j].Key)
                    {
                        return true;
                    }
                }
            }
            return false;
        }
        if (members.Count > 16)
        {
            var names = new HashSet<string>(members.Count, StringComparer.Ordinal);
            foreach (var member in members)
            {
                if (!names.Add(member.Key))
                {
                    return true;
                }
            }
            return false;
        }
        for (var i = 1; i < members.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (JsonText.SameName(members[i].Key, members[j].Key))
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>
    /// The current string or name, decoded. The reader checks a string's UTF-8, and decodes its <c>\u</c> escapes, only
    /// here: bytes that are not UTF-8, or an escape that is half of a surrogate pair (<c>\ud800</c> alone), are no text.
    /// </summary>
    private static string ReadString(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException ex) when (ex.InnerException is DecoderFallbackException)
        {
            throw new UndecodableStringException("a string is not valid UTF-8 (save the file as UTF-8)");
        }
        catch (InvalidOperationException) when (reader.ValueIsEscaped)
        {
            throw new UndecodableStringException("a string has a \\u escape that is half of a surrogate pair (such as \\ud800 alone), which is not text");
        }
    }

    /// <summary>A string the reader cannot decode; <see cref="Parse"/> adds where it is.</summary>
    private sealed class UndecodableStringException(string reason) : Exception(reason);

    private static JsonValue ReadValue(ref Utf8JsonReader reader, ParseContext context)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                // The compact text's size is summed as the members are read (JsonObject.Utf8Size's sum, taken while
                // the values are at hand): every parsed order is measured, for its batch and its state's quota.
                var members = context.Members(reader.CurrentDepth);
                var objectSize = 1;
                var interned = true;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var nameSize = PlainSize(ref reader);
                    var name = ParseContext.Name(ref reader, out var shared);
                    interned &= shared;
                    reader.Read();
                    var value = ReadValue(ref reader, context);
                    members.Add(new(name, value));
                    objectSize += (nameSize >= 0 ? nameSize : JsonText.EscapedUtf8Length(name) + 2) + 1 + value.Utf8Size + 1;
                }
                return HasDuplicates(members, interned)
                    ? JsonObject.FromMembers(WithoutDuplicates(members))
                    : JsonObject.FromParsed([.. members], objectSize);
            case JsonTokenType.StartArray:
                var items = context.Items(reader.CurrentDepth);
                var arraySize = 1;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    var item = ReadValue(ref reader, context);
                    items.Add(item);
                    arraySize += item.Utf8Size + 1;
                }
                return items.Count == 0 ? JsonArray.Empty : new JsonArray([.. items], arraySize);
            case JsonTokenType.String:
                var plainSize = PlainSize(ref reader);
                if (plainSize == 2)
                {
                    return JsonString.Empty;
                }
                if (plainSize > 0)
                {
                    // Plain printable ASCII (checked on the bytes): its JSON text is itself between quotes.
                    return new JsonString(Encoding.ASCII.GetString(reader.ValueSpan), plainSize);
                }
                var s = ReadString(ref reader);
                return s.Length == 0 ? JsonString.Empty : new JsonString(s);
            case JsonTokenType.Number:
                return JsonNumber.FromCheckedLiteral(Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan));
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
    /// Parse state: one reusable buffer per nesting depth, kept per thread between documents (a JSON Lines file is a
    /// million small documents). A parse that throws does not return its context; the next one makes a new one.
    /// </summary>
    private sealed class ParseContext
    {
        private const int MaxKeptCapacity = 1024;

        [ThreadStatic]
        private static ParseContext? _cached;

        private readonly List<List<KeyValuePair<string, JsonValue>>> _members = [];
        private readonly List<List<JsonValue>> _items = [];

        public static ParseContext Rent()
        {
            var context = _cached ?? new ParseContext();
            _cached = null; // a parse within a parse (none today) gets its own
            return context;
        }

        /// <summary>Lets go of the document's values (kept buffers must not keep them alive) and of outsized buffers.</summary>
        public void Return()
        {
            Release(_members);
            Release(_items);
            _cached = this;
        }

        private static void Release<T>(List<List<T>> buffers)
        {
            for (var i = buffers.Count - 1; i >= 0; i--)
            {
                if (buffers[i].Capacity > MaxKeptCapacity)
                {
                    buffers.RemoveRange(i, buffers.Count - i);
                }
                else
                {
                    buffers[i].Clear();
                }
            }
        }

        /// <summary>Property names come from the shared <see cref="NameTable"/> when short and unescaped.</summary>
        /// <param name="reader">At a property name.</param>
        /// <param name="shared">Whether the name is the <see cref="NameTable"/>'s (interned).</param>
        public static string Name(ref Utf8JsonReader reader, out bool shared)
        {
            if (reader.HasValueSequence || reader.ValueIsEscaped || reader.ValueSpan.Length > NameTable.MaxNameBytes)
            {
                shared = false;
                return ReadString(ref reader);
            }
            return NameTable.Get(reader.ValueSpan, out shared);
        }

        public List<KeyValuePair<string, JsonValue>> Members(int depth) => Buffer(_members, depth);

        public List<JsonValue> Items(int depth) => Buffer(_items, depth);

        private static List<T> Buffer<T>(List<List<T>> buffers, int depth)
        {
            while (buffers.Count <= depth)
            {
                buffers.Add([]);
            }
            var buffer = buffers[depth];
            buffer.Clear();
            return buffer;
        }
    }
}
