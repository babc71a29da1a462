using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
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
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    // One hash object per thread: a one-shot SHA256.HashData sets up a new digest context every call.
    [ThreadStatic]
    private static IncrementalHash? _sha256;

    public static string Of(JsonValue order)
    {
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        Write(buffer, order);
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

    // The canonical text, written straight into the buffer: compact, strings escaped as JsonValue.WriteJsonText escapes
    // them (System.Text.Json's relaxed encoder), members sorted, numbers in round-trip form. These bytes are hashed and the
    // hashes stored: they must never change (a test holds them to a canonical string built another way).
    private static void Write(ArrayBufferWriter<byte> buffer, JsonValue value)
    {
        switch (value)
        {
            case JsonObject o:
                Byte(buffer, (byte)'{');
                Span<int> order = o.Count <= 32 ? stackalloc int[o.Count] : new int[o.Count];
                SortMembers(o, order);
                for (var i = 0; i < order.Length; i++)
                {
                    if (i > 0)
                    {
                        Byte(buffer, (byte)',');
                    }
                    JsonString.WriteJsonText(o.NameAt(order[i]), buffer);
                    Byte(buffer, (byte)':');
                    Write(buffer, o.ValueAt(order[i]));
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
                    Write(buffer, a[i]);
                }
                Byte(buffer, (byte)']');
                break;
            case JsonNumber n:
                if (!n.Value.TryFormat(buffer.GetSpan(32), out var written, "R", CultureInfo.InvariantCulture))
                {
                    throw new InvalidOperationException("a double's round-trip form exceeds 32 bytes");
                }
                buffer.Advance(written);
                break;
            default:
                value.WriteJsonText(buffer);
                break;
        }
    }

    private static void Byte(ArrayBufferWriter<byte> buffer, byte value)
    {
        buffer.GetSpan(1)[0] = value;
        buffer.Advance(1);
    }

    private static void SortMembers(JsonObject o, Span<int> order)
    {
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
    }
}
