using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace OrderFlow.Json;

/// <summary>
/// Plain text: printable ASCII other than the quote and the backslash, which a JSON string holds as itself
/// (https://www.rfc-editor.org/rfc/rfc8259#section-7). Member names and most values are plain and short; they are
/// checked (and copied to UTF-8) eight characters at a time, with one overlapping step for the last eight, so that a
/// 13-character name takes two steps instead of thirteen.
/// </summary>
internal static class PlainText
{
    /// <summary>Up to this many characters the eight-at-a-time steps are used; longer text goes to the library's vectorized searches.</summary>
    public const int StepLimit = 64;

    /// <summary>Printable ASCII other than a quote or a backslash: written as itself.</summary>
    public static bool IsPlain(char c) => c is >= ' ' and <= '~' and not ('"' or '\\');

    /// <summary>Whether every character of <paramref name="text"/> is plain.</summary>
    public static bool IsPlain(ReadOnlySpan<char> text)
    {
        if (!Vector128.IsHardwareAccelerated || text.Length < Vector128<ushort>.Count)
        {
            foreach (var c in text)
            {
                if (!IsPlain(c))
                {
                    return false;
                }
            }
            return true;
        }
        ref var start = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(text));
        var last = (nuint)(text.Length - Vector128<ushort>.Count);
        var notPlain = Vector128<ushort>.Zero;
        for (nuint i = 0; i < last; i += (nuint)Vector128<ushort>.Count)
        {
            notPlain |= NotPlain(Vector128.LoadUnsafe(ref start, i));
        }
        notPlain |= NotPlain(Vector128.LoadUnsafe(ref start, last));
        return notPlain == Vector128<ushort>.Zero;
    }

    /// <summary>
    /// Copies <paramref name="text"/> into <paramref name="destination"/> one byte per character when every character
    /// is plain; false (and <paramref name="destination"/> partly written) when one is not.
    /// </summary>
    public static bool TryCopy(ReadOnlySpan<char> text, Span<byte> destination)
    {
        if (destination.Length < text.Length)
        {
            throw new ArgumentException($"the destination holds {destination.Length} bytes, the text has {text.Length} characters", nameof(destination));
        }
        if (!Vector128.IsHardwareAccelerated || text.Length < Vector128<ushort>.Count)
        {
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (!IsPlain(c))
                {
                    return false;
                }
                destination[i] = (byte)c;
            }
            return true;
        }
        ref var source = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(text));
        ref var target = ref MemoryMarshal.GetReference(destination);
        var last = (nuint)(text.Length - Vector128<ushort>.Count);
        for (nuint i = 0; ; i = Math.Min(i + (nuint)Vector128<ushort>.Count, last))
        {
            var chars = Vector128.LoadUnsafe(ref source, i);
            if (NotPlain(chars) != Vector128<ushort>.Zero)
            {
                return false;
            }
            // Eight characters below 0x7F narrowed to their eight bytes (the upper half of the narrowed vector repeats them).
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref target, i), Vector128.Narrow(chars, chars).AsUInt64().ToScalar());
            if (i == last)
            {
                return true;
            }
        }
    }

    /// <summary>
    /// Whether the bytes of a string the JSON reader passed unescaped are plain: such a string holds no quote, backslash
    /// or control character, so it is plain when no byte is DEL (0x7F) or beyond ASCII. Eight bytes at a time: adding 1
    /// to each byte sets its top bit exactly when the byte is 0x7F or above (a carry into the next byte comes only from
    /// 0xFF, which is caught already), so one test of the top bits answers for eight bytes.
    /// </summary>
    public static bool IsPlainUnescapedUtf8(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > StepLimit)
        {
            return utf8.IndexOfAnyInRange((byte)0x7F, (byte)0xFF) < 0;
        }
        if (utf8.Length < sizeof(ulong))
        {
            foreach (var b in utf8)
            {
                if (b >= 0x7F)
                {
                    return false;
                }
            }
            return true;
        }
        const ulong Ones = 0x0101010101010101, TopBits = 0x8080808080808080;
        ref var start = ref MemoryMarshal.GetReference(utf8);
        var last = utf8.Length - sizeof(ulong);
        var seen = 0UL;
        for (var i = 0; i < last; i += sizeof(ulong))
        {
            var word = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i));
            seen |= (word + Ones) | word;
        }
        var tail = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, last));
        seen |= (tail + Ones) | tail;
        return (seen & TopBits) == 0;
    }

    // All bits set in each lane holding a character outside ' '..'~' (one unsigned comparison), a quote or a backslash.
    private static Vector128<ushort> NotPlain(Vector128<ushort> chars) =>
        Vector128.GreaterThan(chars - Vector128.Create((ushort)' '), Vector128.Create((ushort)('~' - ' ')))
        | Vector128.Equals(chars, Vector128.Create((ushort)'"'))
        | Vector128.Equals(chars, Vector128.Create((ushort)'\\'));
}
