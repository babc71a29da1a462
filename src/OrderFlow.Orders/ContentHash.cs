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

    [ThreadStatic]
    private static Utf8JsonWriter? _writer;

    // One hash object per thread: a one-shot SHA256.HashData sets up a new digest context every call.
    [ThreadStatic]
    private static IncrementalHash? _sha256;

    public static string Of(JsonValue order)
    {
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = _writer ??= new Utf8JsonWriter(buffer, Canonical);
        writer.Reset(buffer);
        Write(writer, order);
        writer.Flush();
        return Hex(buffer.WrittenSpan, 16);
    }

    /// <summary>The first <paramref name="bytes"/> bytes of the SHA-256 of <paramref name="utf8"/>, in lower-case hex.</summary>
    internal static string Hex(ReadOnlySpan<byte> utf8, int bytes)
    {
        var sha256 = _sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> digest = stackalloc byte[32];
        sha256.AppendData(utf8);
        sha256.GetHashAndReset(digest);
#if NET9_0_OR_GREATER
        return Convert.ToHexStringLower(digest[..bytes]);
#else
        return Convert.ToHexString(digest[..bytes]).ToLowerInvariant();
#endif
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
                Span<byte> digits = stackalloc byte[32];
                if (!n.Value.TryFormat(digits, out var written, "R", CultureInfo.InvariantCulture))
                {
                    throw new InvalidOperationException("a double's round-trip form exceeds 32 bytes");
                }
                writer.WriteRawValue(digits[..written], skipInputValidation: true);
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
