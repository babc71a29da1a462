using System.Buffers;
using OrderFlow.Json;

namespace OrderFlow.Orders;

/// <summary>
/// The content hash of an order: SHA-256 of its canonical JSON (members in ordinal name order at every level, numbers
/// in their shortest round-trip form, strings escaped minimally), as 32 lower-case hex digits. Two orders that differ only
/// in member order or number spelling (<c>1.50</c>, <c>1.5</c>) hash alike. Written straight into a reused buffer: no
/// intermediate strings.
/// </summary>
/// <remarks>
/// <see cref="Of"/>, the hash stored with an order and compared to tell a duplicate from a conflicting one, also reads a
/// <c>qty</c> or <c>unit-price</c> written as a string as the number it holds: the schema accepts both (the seed sends
/// strings, CSV has nothing else) and the stored item is the same, so <c>"qty":"2"</c> and <c>"qty":2</c> are the same
/// order. <see cref="AsWritten"/> keeps such strings as strings: it is the hash every version before 2026-12-03 stored,
/// still compared with stored orders (they may carry it), and the one rejection ids are made of, so that they stay
/// what earlier versions recorded.
/// </remarks>
public static class ContentHash
{
    /// <summary>The members whose decimal strings <see cref="Of"/> reads as numbers: the order's and its line items' numbers.</summary>
    public static readonly CanonicalForm OrderContent = new(["qty", "unit-price"]);

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    /// <summary>The hash of the order's content: <c>qty</c> and <c>unit-price</c> alike as numbers or strings.</summary>
    public static string Of(JsonValue order) => Hash(order, OrderContent);

    /// <summary>The hash of the order as written (strings stay strings): what versions before 2026-12-03 stored.</summary>
    public static string AsWritten(JsonValue order) => Hash(order, CanonicalForm.Plain);

    private static string Hash(JsonValue order, CanonicalForm form)
    {
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        // These bytes are hashed and the hashes stored: they must never change (a test holds them to a canonical
        // string built another way).
        order.WriteCanonicalJsonText(buffer, form);
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
