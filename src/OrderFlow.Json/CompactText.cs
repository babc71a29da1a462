using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace OrderFlow.Json;

/// <summary>
/// Writes a value's compact JSON text straight into a buffer: names and strings of plain printable ASCII (nearly all
/// of an order) are copied between quotes, numbers as their literal; any other string is escaped by
/// <see cref="Utf8JsonWriter"/> with the same options as <see cref="JsonValue.WriteTo"/>, so the bytes are exactly those
/// the writer produces for the whole value (a test holds the two equal). In canonical form members are in ordinal name
/// order at every level and numbers in their shortest round-trip form, so values that differ only in member order or
/// number spelling (<c>1.50</c>, <c>1.5</c>) write alike; a canonical form may also name members whose string values
/// holding a decimal number are written as that number (<see cref="CanonicalForm"/>).
/// </summary>
internal static class CompactText
{
    [ThreadStatic]
    private static Utf8JsonWriter? _escaper;

    public static void Write(JsonValue value, IBufferWriter<byte> buffer, CanonicalForm? canonical = null)
    {
        // One span asked of the buffer for the whole value (sized by the value's own UTF-8 estimate), written through a
        // cursor: no interface call per punctuation byte. The estimate may fall short (escapes it does not count), so
        // the cursor asks for more when it runs out.
        var output = new Output(buffer, value is JsonObject or JsonArray ? value.Utf8Size + 16 : 64);
        Write(value, ref output, canonical);
        output.Commit();
    }

    /// <summary>
    /// <paramref name="o"/>'s compact text, except that a member whose value is an object of one member named
    /// <paramref name="wrapper"/> holding a string is written as that string (see <see cref="JsonObject.WriteJsonTextUnwrapping"/>).
    /// </summary>
    public static void WriteUnwrapping(JsonObject o, IBufferWriter<byte> buffer, string wrapper)
    {
        var output = new Output(buffer, o.Utf8Size + 16);
        WriteObject(o, ref output, canonical: null, wrapper);
        output.Commit();
    }

    private static void Write(JsonValue value, ref Output output, CanonicalForm? canonical)
    {
        switch (value)
        {
            case JsonObject o:
                WriteObject(o, ref output, canonical);
                break;
            case JsonArray a:
                output.Byte((byte)'[');
                for (var i = 0; i < a.Count; i++)
                {
                    if (i > 0)
                    {
                        output.Byte((byte)',');
                    }
                    Write(a[i], ref output, canonical);
                }
                output.Byte((byte)']');
                break;
            case JsonString s when s.TryGetUtf8(out var utf8):
                Escaped(null, utf8.Span, ref output);
                break;
            case JsonString s:
                String(s.Value, ref output, s.IsPlainAscii);
                break;
            case JsonNumber n when canonical is not null && JsonNumber.IsShortestRoundTrip(n.Literal):
                Ascii(n.Literal, ref output);
                break;
            case JsonNumber n when canonical is not null:
                RoundTrip(n.Value, ref output);
                break;
            case JsonNumber n:
                Ascii(n.Literal, ref output);
                break;
            default:
                Ascii(value.Kind == JsonKind.Null ? "null" : value.Equals(JsonValue.True) ? "true" : "false", ref output);
                break;
        }
    }

    // Kept out of Write, which recurses: the stack space for the canonical member order is taken only here. With an
    // unwrap name, a member whose value is {unwrap: "text"} is written as "text" (WriteUnwrapping; this level only).
    private static void WriteObject(JsonObject o, ref Output output, CanonicalForm? canonical, string? unwrap = null)
    {
        Span<int> sorted = canonical is null ? [] : o.Count <= 32 ? stackalloc int[o.Count] : new int[o.Count];
        SortMembers(o, sorted);
        output.Byte((byte)'{');
        for (var i = 0; i < o.Count; i++)
        {
            if (i > 0)
            {
                output.Byte((byte)',');
            }
            var member = canonical is null ? i : sorted[i];
            var name = o.NameAt(member);
            Name(name, ref output);
            output.Byte((byte)':');
            var value = o.ValueAt(member);
            if (canonical is not null && value is JsonString text && canonical.ReadsAsNumber(name, text, out var literal, out var number))
            {
                // The number the string holds, exactly as that number written as a JSON number is written.
                if (JsonNumber.IsShortestRoundTrip(literal))
                {
                    Ascii(literal, ref output);
                }
                else
                {
                    RoundTrip(number, ref output);
                }
            }
            else if (unwrap is not null && value is JsonObject { Count: 1 } wrapped && wrapped.ValueAt(0) is JsonString inner
                && string.Equals(wrapped.NameAt(0), unwrap, StringComparison.Ordinal))
            {
                String(inner.Value, ref output, inner.IsPlainAscii);
            }
            else
            {
                Write(value, ref output, canonical);
            }
        }
        output.Byte((byte)'}');
    }

    /// <summary>The members' positions in ordinal name order, into <paramref name="order"/> (insertion sort: a handful of members, often in order).</summary>
    private static void SortMembers(JsonObject o, Span<int> order)
    {
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
        for (var i = 1; i < order.Length; i++)
        {
            var current = order[i];
            var j = i - 1;
            while (j >= 0 && string.CompareOrdinal(o.NameAt(order[j]), o.NameAt(current)) > 0)
            {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = current;
        }
    }

    private static void RoundTrip(double number, ref Output output)
    {
        if (!number.TryFormat(output.Reserve(32), out var written, "R", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("a double's round-trip form exceeds 32 bytes");
        }
        output.Advance(written);
    }

    private static void String(string text, ref Output output, bool plainAscii)
    {
        if (!plainAscii)
        {
            Escaped(text, default, ref output);
            return;
        }
        var span = output.Reserve(text.Length + 2);
        span[0] = (byte)'"';
        if (text.Length <= PlainText.StepLimit)
        {
            PlainText.TryCopy(text, span.Slice(1, text.Length)); // known plain: it copies every character
        }
        else
        {
            System.Text.Ascii.FromUtf16(text, span[1..], out _);
        }
        span[text.Length + 1] = (byte)'"';
        output.Advance(text.Length + 2);
    }

    // A member name: names (nearly all short and plain) are checked and copied in one pass; nothing is kept of a name
    // that turns out to need escapes (the reserved span is only advanced at the end).
    private static void Name(string name, ref Output output)
    {
        if (name.Length > PlainText.StepLimit)
        {
            String(name, ref output, JsonText.IsPlainAscii(name));
            return;
        }
        var span = output.Reserve(name.Length + 2);
        span[0] = (byte)'"';
        if (!PlainText.TryCopy(name, span.Slice(1, name.Length)))
        {
            Escaped(name, default, ref output);
            return;
        }
        span[name.Length + 1] = (byte)'"';
        output.Advance(name.Length + 2);
    }

    /// <summary>
    /// A string escaped by the thread's escaping writer: <paramref name="text"/>, or, when it is null, the text
    /// <paramref name="utf8"/> encodes (a string held as UTF-8, JsonString.FromUtf8), escaped the same way.
    /// </summary>
    private static void Escaped(string? text, ReadOnlySpan<byte> utf8, ref Output output)
    {
        var writer = Escaper(ref output);
        try
        {
            if (text is null)
            {
                writer.WriteStringValue(utf8);
            }
            else
            {
                writer.WriteStringValue(text);
            }
            writer.Flush();
        }
        finally
        {
            writer.Reset(Stream.Null);
        }
    }

    /// <summary>The thread's escaping writer, writing at the output's position (what was written before is committed).</summary>
    private static Utf8JsonWriter Escaper(ref Output output)
    {
        var buffer = output.Commit();
        var writer = _escaper ??= new Utf8JsonWriter(buffer, WriterOptions.Compact);
        writer.Reset(buffer);
        return writer;
    }

    private static void Ascii(string text, ref Output output)
    {
        System.Text.Ascii.FromUtf16(text, output.Reserve(text.Length), out var written);
        output.Advance(written);
    }

    /// <summary>A write position in a span taken from the buffer; <see cref="Commit"/> hands the written bytes back.</summary>
    private ref struct Output(IBufferWriter<byte> buffer, int sizeHint)
    {
        private readonly IBufferWriter<byte> _buffer = buffer;
        private Span<byte> _span = buffer.GetSpan(sizeHint);
        private int _position;

        public void Byte(byte value)
        {
            if (_position < _span.Length)
            {
                _span[_position++] = value;
                return;
            }
            Reserve(1)[0] = value;
            _position++;
        }

        /// <summary>At least <paramref name="length"/> free bytes at the position; <see cref="Advance"/> says how many were used.</summary>
        public Span<byte> Reserve(int length)
        {
            if (_span.Length - _position < length)
            {
                _buffer.Advance(_position);
                _span = _buffer.GetSpan(Math.Max(length, 256));
                _position = 0;
            }
            return _span[_position..];
        }

        public void Advance(int count) => _position += count;

        /// <summary>Advances the buffer past what was written; the next write takes a fresh span.</summary>
        public IBufferWriter<byte> Commit()
        {
            _buffer.Advance(_position);
            _span = [];
            _position = 0;
            return _buffer;
        }
    }
}
