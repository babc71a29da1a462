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
/// number spelling (<c>1.50</c>, <c>1.5</c>) write alike.
/// </summary>
internal static class CompactText
{
    [ThreadStatic]
    private static Utf8JsonWriter? _escaper;

    public static void Write(JsonValue value, IBufferWriter<byte> buffer, bool canonical = false)
    {
        switch (value)
        {
            case JsonObject o:
                Byte(buffer, (byte)'{');
                Span<int> sorted = canonical ? (o.Count <= 32 ? stackalloc int[o.Count] : new int[o.Count]) : [];
                SortMembers(o, sorted);
                for (var i = 0; i < o.Count; i++)
                {
                    if (i > 0)
                    {
                        Byte(buffer, (byte)',');
                    }
                    var member = canonical ? sorted[i] : i;
                    String(o.NameAt(member), buffer);
                    Byte(buffer, (byte)':');
                    Write(o.ValueAt(member), buffer, canonical);
                }
                Byte(buffer, (byte)'}');
                break;
            case JsonArray a:
                Byte(buffer, (byte)'[');
                for (var i = 0; i < a.Count; i++)
                {
                    if (i > 0)
                    {
                        Byte(buffer, (byte)',');
                    }
                    Write(a[i], buffer, canonical);
                }
                Byte(buffer, (byte)']');
                break;
            case JsonString s:
                String(s.Value, buffer);
                break;
            case JsonNumber n when canonical:
                if (!n.Value.TryFormat(buffer.GetSpan(32), out var written, "R", CultureInfo.InvariantCulture))
                {
                    throw new InvalidOperationException("a double's round-trip form exceeds 32 bytes");
                }
                buffer.Advance(written);
                break;
            case JsonNumber n:
                Ascii(n.Literal, buffer);
                break;
            default:
                Ascii(value.Kind == JsonKind.Null ? "null" : value.Equals(JsonValue.True) ? "true" : "false", buffer);
                break;
        }
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

    private static void String(string text, IBufferWriter<byte> buffer)
    {
        if (!JsonText.IsPlainAscii(text))
        {
            Escaped(text, buffer);
            return;
        }
        var span = buffer.GetSpan(text.Length + 2);
        span[0] = (byte)'"';
        Encoding.ASCII.GetBytes(text, span[1..]);
        span[text.Length + 1] = (byte)'"';
        buffer.Advance(text.Length + 2);
    }

    private static void Escaped(string text, IBufferWriter<byte> buffer)
    {
        var writer = _escaper ??= new Utf8JsonWriter(buffer, WriterOptions.Compact);
        writer.Reset(buffer);
        try
        {
            writer.WriteStringValue(text);
            writer.Flush();
        }
        finally
        {
            writer.Reset(Stream.Null);
        }
    }

    private static void Ascii(string text, IBufferWriter<byte> buffer) =>
        buffer.Advance(Encoding.ASCII.GetBytes(text, buffer.GetSpan(text.Length)));

    private static void Byte(IBufferWriter<byte> buffer, byte value)
    {
        buffer.GetSpan(1)[0] = value;
        buffer.Advance(1);
    }
}
