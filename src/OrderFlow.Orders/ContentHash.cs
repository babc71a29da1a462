using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using OrderFlow.Json;

namespace OrderFlow.Orders;

/// <summary>
/// The content hash of an order: SHA-256 of its canonical JSON (members in ordinal name order at every level, numbers
/// in their shortest round-trip form, strings escaped minimally), as 32 lower-case hex digits. Two orders that differ only
/// in member order or number spelling (<c>1.50</c>, <c>1.5</c>) hash alike. Written straight into a reused buffer: no
/// intermediate strings.
/// </summary>
public static class ContentHash
{
    private static readonly JsonWriterOptions Canonical = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
        MaxDepth = 4096,
    };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    public static string Of(JsonValue order)
    {
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.Clear();
        using (var writer = new Utf8JsonWriter(buffer, Canonical))
        {
            Write(writer, order);
        }
        return Hex(buffer.WrittenSpan, 16);
    }

    /// <summary>The first <paramref name="bytes"/> bytes of the SHA-256 of <paramref name="utf8"/>, in lower-case hex.</summary>
    internal static string Hex(ReadOnlySpan<byte> utf8, int bytes)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(utf8, digest);
        return Convert.ToHexString(digest[..bytes]).ToLowerInvariant();
    }

    /// <summary>The first <paramref name="bytes"/> bytes of the SHA-256 of <paramref name="text"/>'s UTF-8, in lower-case hex.</summary>
    internal static string Hex(string text, int bytes)
    {
        var length = Encoding.UTF8.GetMaxByteCount(text.Length);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = Encoding.UTF8.GetBytes(text, rented);
            return Hex(rented.AsSpan(0, written), bytes);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static void Write(Utf8JsonWriter writer, JsonValue value)
    {
        switch (value)
        {
            case JsonObject o:
                writer.WriteStartObject();
                foreach (var index in SortedMembers(o))
                {
                    writer.WritePropertyName(o.NameAt(index));
                    Write(writer, o.ValueAt(index));
                }
                writer.WriteEndObject();
                break;
            case JsonArray a:
                writer.WriteStartArray();
                foreach (var item in a)
                {
                    Write(writer, item);
                }
                writer.WriteEndArray();
                break;
            case JsonNumber n:
                writer.WriteRawValue(n.Value.ToString("R", CultureInfo.InvariantCulture), skipInputValidation: true);
                break;
            default:
                value.WriteTo(writer);
                break;
        }
    }

    private static int[] SortedMembers(JsonObject o)
    {
        var order = new int[o.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
        // Insertion sort: orders have a handful of members, often already in order.
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
        return order;
    }
}
