using System.Text;
using System.Text.Json;

namespace OrderFlow.Json;

/// <summary>The kind of a <see cref="JsonValue"/>.</summary>
public enum JsonKind { Null, Boolean, Number, String, Array, Object }

/// <summary>
/// An immutable JSON value. Immutability lets a parsed definition, a state's input and its output share
/// sub-trees freely: ResultPath copies only the spine it changes, never the whole document.
/// </summary>
public abstract class JsonValue : IEquatable<JsonValue>
{
    public static JsonValue Null => JsonNull.Instance;
    public static JsonValue True => JsonBoolean.TrueValue;
    public static JsonValue False => JsonBoolean.FalseValue;

    public abstract JsonKind Kind { get; }

    /// <summary>
    /// Size in bytes of the compact UTF-8 serialization. Arrays and objects compute it once and keep it (they are
    /// immutable), so checking a payload against the 256 KiB quota costs only the nodes that are new.
    /// </summary>
    public abstract int Utf8Size { get; }

    public abstract void WriteTo(Utf8JsonWriter writer);

    public static JsonValue FromBoolean(bool value) => value ? JsonBoolean.TrueValue : JsonBoolean.FalseValue;

    public static JsonValue FromString(string value) => new JsonString(value);

    public static JsonValue FromNumber(long value) => JsonNumber.FromInt64(value);

    public static JsonValue FromNumber(double value) => JsonNumber.FromDouble(value);

    /// <summary>Parses JSON text. Throws <see cref="JsonParseException"/> with line and column on malformed input.</summary>
    public static JsonValue Parse(string json) => JsonParser.Parse(Encoding.UTF8.GetBytes(json));

    public static JsonValue Parse(ReadOnlySpan<byte> utf8Json) => JsonParser.Parse(utf8Json);

    /// <summary>Compact JSON text of this value, as UTF-8 in an array of its own.</summary>
    public byte[] ToJsonUtf8()
    {
        var buffer = _textBuffer ??= new System.Buffers.ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        WriteJsonText(buffer);
        var utf8 = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > MaxKeptBuffer)
        {
            _textBuffer = null;
        }
        return utf8;
    }

    /// <summary>Compact JSON text of this value.</summary>
    public string ToJsonString()
    {
        if (this is JsonNumber number)
        {
            return number.Literal;
        }
        // One buffer per thread, reused: texts are made per order (line items, messages). Writing never calls back here.
        var buffer = _textBuffer ??= new System.Buffers.ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        WriteJsonText(buffer);
        var text = Encoding.UTF8.GetString(buffer.WrittenSpan);
        if (buffer.Capacity > MaxKeptBuffer)
        {
            _textBuffer = null;
        }
        return text;
    }

    private const int MaxKeptBuffer = 1 << 20;

    [ThreadStatic]
    private static System.Buffers.ArrayBufferWriter<byte>? _textBuffer;

    /// <summary>Appends the compact JSON text of this value, as UTF-8, to <paramref name="buffer"/>: the bytes of <see cref="ToJsonString"/> without the string.</summary>
    public void WriteJsonText(System.Buffers.IBufferWriter<byte> buffer) => CompactText.Write(this, buffer);

    /// <summary>
    /// Appends this value's canonical JSON text: compact, members in ordinal name order at every level, numbers in their
    /// shortest round-trip form (<c>1.50</c> and <c>1.5</c> alike), strings as <see cref="WriteJsonText"/> writes them.
    /// </summary>
    public void WriteCanonicalJsonText(System.Buffers.IBufferWriter<byte> buffer) => CompactText.Write(this, buffer, CanonicalForm.Plain);

    /// <summary>
    /// This value's canonical JSON text (<see cref="WriteCanonicalJsonText(System.Buffers.IBufferWriter{byte})"/>), in
    /// the given form: with <see cref="CanonicalForm.NumericStrings"/>, those members' decimal strings are written as numbers.
    /// </summary>
    public void WriteCanonicalJsonText(System.Buffers.IBufferWriter<byte> buffer, CanonicalForm form) =>
        CompactText.Write(this, buffer, form ?? throw new ArgumentNullException(nameof(form)));

    /// <summary>What <see cref="WriteJsonText"/> writes, through <see cref="Utf8JsonWriter"/> alone (for tests that hold the two equal).</summary>
    internal void WriteJsonTextWithWriter(System.Buffers.IBufferWriter<byte> buffer)
    {
        // One writer per thread, pointed at each caller's buffer in turn: writing never calls back into this method.
        var writer = _compactWriter ??= new Utf8JsonWriter(buffer, WriterOptions.Compact);
        writer.Reset(buffer);
        try
        {
            WriteTo(writer);
            writer.Flush();
        }
        finally
        {
            writer.Reset(Stream.Null);
        }
    }

    [ThreadStatic]
    private static Utf8JsonWriter? _compactWriter;

    /// <summary>Indented JSON text of this value.</summary>
    public string ToIndentedJsonString()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(Math.Max(16, Utf8Size * 2));
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions.Indented))
        {
            WriteTo(writer);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public override string ToString() => ToJsonString();

    public abstract bool Equals(JsonValue? other);

    public override bool Equals(object? obj) => obj is JsonValue other && Equals(other);

    public abstract override int GetHashCode();

    /// <summary>Short name of the kind as AWS error messages use it.</summary>
    public string KindName => Kind switch
    {
        JsonKind.Null => "null",
        JsonKind.Boolean => "boolean",
        JsonKind.Number => "number",
        JsonKind.String => "string",
        JsonKind.Array => "array",
        _ => "object",
    };
}

internal static class WriterOptions
{
    public static readonly JsonWriterOptions Compact = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
        MaxDepth = 4096,
    };

    public static readonly JsonWriterOptions Indented = Compact with { Indented = true };
}

/// <summary>The JSON literal null.</summary>
public sealed class JsonNull : JsonValue
{
    public static readonly JsonNull Instance = new();

    private JsonNull()
    {
    }

    public override JsonKind Kind => JsonKind.Null;

    public override int Utf8Size => 4;

    public override void WriteTo(Utf8JsonWriter writer) => writer.WriteNullValue();

    public override bool Equals(JsonValue? other) => other is JsonNull;

    public override int GetHashCode() => 0;
}

/// <summary>A JSON boolean.</summary>
public sealed class JsonBoolean : JsonValue
{
    internal static readonly JsonBoolean TrueValue = new(true);
    internal static readonly JsonBoolean FalseValue = new(false);

    private JsonBoolean(bool value) => Value = value;

    public bool Value { get; }

    public override JsonKind Kind => JsonKind.Boolean;

    public override int Utf8Size => Value ? 4 : 5;

    public override void WriteTo(Utf8JsonWriter writer) => writer.WriteBooleanValue(Value);

    public override bool Equals(JsonValue? other) => other is JsonBoolean b && b.Value == Value;

    public override int GetHashCode() => Value ? 1 : 2;
}

/// <summary>
/// A JSON string. It holds its value as a .NET string, or, when made with <see cref="FromUtf8"/>, as UTF-8 until
/// something asks for <see cref="Value"/>: a text made to be sent on as bytes (a queue message's body, written as JSON
/// by one service and stored as bytes by another) is then never widened to UTF-16 and narrowed back.
/// </summary>
public sealed class JsonString : JsonValue
{
    public static readonly JsonString Empty = new(string.Empty);

    // The value: a string, or a byte[] of valid UTF-8 that Value decodes once and replaces. Read once into a local
    // wherever both are possible: another thread may replace the bytes by the string in between.
    private object _value;

    // Both computed on first use and kept (a string is sized for every state payload it travels in, and written more
    // than once); a race computes the same value twice.
    private int _utf8Size = -1;
    private sbyte _plainAscii = -1;

    public JsonString(string value) => _value = value;

    /// <summary>A string known to be plain printable ASCII (<see cref="IsPlainAscii"/>), of <paramref name="utf8Size"/> bytes as JSON text.</summary>
    internal JsonString(string value, int utf8Size)
        : this(value)
    {
        System.Diagnostics.Debug.Assert(utf8Size == value.Length + 2 && JsonText.IsPlainAscii(value), "a plain string's size is its length and quotes");
        _utf8Size = utf8Size;
        _plainAscii = 1;
    }

    private JsonString(byte[] utf8) => _value = utf8;

    /// <summary>
    /// A string whose value is the text <paramref name="utf8"/> encodes, kept as those bytes (the caller gives them up:
    /// they must not change afterwards). Throws on bytes that are not UTF-8, which no writer of text makes.
    /// </summary>
    public static JsonString FromUtf8(byte[] utf8)
    {
        ArgumentNullException.ThrowIfNull(utf8);
        return System.Text.Unicode.Utf8.IsValid(utf8) ? new JsonString(utf8) : throw new ArgumentException("The bytes are not valid UTF-8.", nameof(utf8));
    }

    public string Value
    {
        get
        {
            var value = _value;
            return value as string ?? Decode((byte[])value);
        }
    }

    private string Decode(byte[] utf8)
    {
        var text = Encoding.UTF8.GetString(utf8);
        _value = text;
        return text;
    }

    /// <summary>The value's UTF-8, when it is still held as made by <see cref="FromUtf8"/> (and no one has asked for <see cref="Value"/>).</summary>
    public bool TryGetUtf8(out ReadOnlyMemory<byte> utf8)
    {
        var bytes = _value as byte[];
        utf8 = bytes;
        return bytes is not null;
    }

    public override JsonKind Kind => JsonKind.String;

    public override int Utf8Size => _utf8Size >= 0 ? _utf8Size : _utf8Size = Measure() + 2;

    private int Measure()
    {
        var value = _value;
        if (value is byte[] utf8)
        {
            return JsonText.EscapedLength(utf8);
        }
        return IsPlainAscii ? ((string)value).Length : JsonText.EscapedUtf8LengthNotPlain((string)value);
    }

    /// <summary>The length of the value in UTF-8 (not its JSON text: no quotes, no escapes).</summary>
    public int Utf8ByteCount => _value switch
    {
        byte[] utf8 => utf8.Length,
        _ when IsPlainAscii => Value.Length,
        _ => Encoding.UTF8.GetByteCount(Value),
    };

    /// <summary>Whether the value is printable ASCII with no quote or backslash, so its JSON text is itself between quotes.</summary>
    internal bool IsPlainAscii => _plainAscii >= 0 ? _plainAscii == 1 : (_plainAscii = PlainNow() ? (sbyte)1 : (sbyte)0) == 1;

    private bool PlainNow()
    {
        var value = _value;
        return value is byte[] utf8 ? JsonText.IsPlainAscii(utf8) : JsonText.IsPlainAscii((string)value);
    }

    public override void WriteTo(Utf8JsonWriter writer)
    {
        var value = _value;
        if (value is byte[] utf8)
        {
            writer.WriteStringValue(utf8);
            return;
        }
        writer.WriteStringValue((string)value);
    }

    public override bool Equals(JsonValue? other) => other is JsonString s && string.Equals(s.Value, Value, StringComparison.Ordinal);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);
}
