using System.Buffers;
using System.Text;

namespace OrderFlow.Json;

internal static class JsonText
{
    // Printable ASCII that a JSON string holds as itself: everything from space to '~' but the quote and the backslash.
    private static readonly SearchValues<char> PlainAscii = SearchValues.Create(
        string.Concat(Enumerable.Range(0x20, 0x7F - 0x20).Select(c => (char)c).Where(c => c is not ('"' or '\\'))));

    /// <summary>Whether the string is printable ASCII with no quote or backslash: its JSON text is itself between quotes.</summary>
    public static bool IsPlainAscii(string value) =>
        value.Length <= PlainText.StepLimit ? PlainText.IsPlain(value) : value.AsSpan().IndexOfAnyExcept(PlainAscii) < 0;

    /// <summary>
    /// <see cref="IsPlainAscii(string)"/> of the text these UTF-8 bytes encode: nothing a JSON string escapes, and no
    /// byte from DEL up.
    /// </summary>
    public static bool IsPlainAscii(ReadOnlySpan<byte> utf8) => utf8.IndexOfAny(EscapedBytes) < 0 && PlainText.IsPlainUnescapedUtf8(utf8);

    /// <summary>
    /// <see cref="EscapedUtf8Length"/> of the text valid UTF-8 bytes encode: their own length, and what the escapes add
    /// (the same characters escaped the same way: only control characters, the quote and the backslash).
    /// </summary>
    public static int EscapedLength(ReadOnlySpan<byte> utf8)
    {
        // Quotes and backslashes are counted with one vectorized pass each: text that holds JSON (a queue message's body)
        // has dozens of quotes, and a search stopping at every one took 0.5 µs for a 600-byte body. Control characters
        // are rare; they are looked for one by one after the first.
        var extra = utf8.Count((byte)'"') + utf8.Count((byte)'\\');
        var rest = utf8;
        int at;
        while ((at = rest.IndexOfAnyInRange((byte)0, (byte)0x1F)) >= 0)
        {
            extra += EscapeExtra(rest[at]);
            rest = rest[(at + 1)..];
        }
        return utf8.Length + extra;
    }

    // The bytes a JSON string escapes: control characters, the quote, the backslash (UTF-8's other bytes are all ≥ 0x80).
    internal static readonly SearchValues<byte> EscapedBytes = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(c => (byte)c), (byte)'"', (byte)'\\']);

    /// <summary>
    /// Whether two member names are the same: by reference first (parsed names are interned, and so are literals),
    /// then by length, and only then character by character.
    /// </summary>
    internal static bool SameName(string a, string b) => (object)a == b || (a.Length == b.Length && string.Equals(a, b, StringComparison.Ordinal));

    /// <summary>Length in UTF-8 bytes of a string's JSON escaping, without the quotes.</summary>
    public static int EscapedUtf8Length(string value)
    {
        // Most strings are plain printable ASCII: one vectorized scan tells, and the length is the answer.
        return IsPlainAscii(value) ? value.Length : EscapedUtf8LengthNotPlain(value);
    }

    /// <summary><see cref="EscapedUtf8Length"/> of a string known not to be plain ASCII (no scan for plainness first).</summary>
    public static int EscapedUtf8LengthNotPlain(string value)
    {
        var extra = 0;
        var ascii = true;
        foreach (var c in value)
        {
            extra += EscapeExtra(c);
            ascii &= c < 0x80;
        }
        return (ascii ? value.Length : Encoding.UTF8.GetByteCount(value)) + extra;
    }

    /// <summary>
    /// The bytes a character's JSON escape adds to it: one for the two-character escapes (a quote, a backslash, and the
    /// control characters with a letter), five for the other control characters (<c>\u00XX</c>), none for the rest.
    /// </summary>
    private static int EscapeExtra(int c) => c switch
    {
        '"' or '\\' or '\n' or '\r' or '\t' or '\b' or '\f' => 1,
        < 0x20 => 5,
        _ => 0,
    };
}
