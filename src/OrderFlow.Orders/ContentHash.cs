using System.Buffers;
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

    public static string Of(JsonValue order)
    {
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        // These bytes are hashed and the hashes stored: they must never change (a test holds them to a canonical
        // string built another way).
        order.WriteCanonicalJsonText(buffer);
        return Hex(buffer.WrittenSpan, 16);
    }

    /// <summary>The first <paramref name="bytes"/> bytes of the SHA-256 of <paramref name="utf8"/>, in lower-case hex.</summary>
    internal static string Hex(ReadOnlySpan<byte> utf8, int bytes)
    {
        Span<byte> digest = stackalloc byte[Sha256.DigestBytes];
        Sha256.Hash(utf8, digest);
#if NET9_0_OR_GREATER
        return Convert.ToHexStringLower(digest[..bytes]);
#else
        return Convert.ToHexString(digest[..bytes]).ToLowerInvariant();
#endif
    }
}
