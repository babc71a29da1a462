using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace OrderFlow.Json;

/// <summary>
/// The parser's fast path: a document with no string escape, nested at most 64 levels, read straight from its bytes into
/// the very tree the <see cref="System.Text.Json.Utf8JsonReader"/> path builds (the same names from the
/// <see cref="NameTable"/>, the same strings, number literals and sizes). Anything else, and anything malformed, makes it
/// give up (null): the reader then parses the document again and words the fault. Grammar: RFC 8259
/// (https://www.rfc-editor.org/rfc/rfc8259).
/// </summary>
/// <remarks>
/// An order line is mostly string contents, which one vectorized search skips, while the reader tokenizes and tracks its
/// state around every value: a generated order line parses in 0.96 µs instead of 1.10 (docs/performance.md). Strings,
/// numbers, literals and white space are read as the file check's <see cref="JsonLineScan"/> reads them.
/// </remarks>
internal static partial class JsonParser
{
    private const int PlainMaxDepth = 64;

    /// <summary>The document's value when it is plain and well-formed; null for the reader to decide.</summary>
    internal static JsonValue? TryParsePlain(ReadOnlySpan<byte> utf8)
    {
        var context = ParseContext.Rent();
        var i = 0;
        var value = PlainValue(utf8, ref i, context, 0);
        context.Return();
        return value is not null && JsonLineScan.Skip(utf8, i) == utf8.Length ? value : null;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static JsonValue? PlainValue(ReadOnlySpan<byte> s, ref int i, ParseContext context, int depth)
    {
        i = JsonLineScan.Skip(s, i);
        if (i >= s.Length)
        {
            return null;
        }
        switch (s[i])
        {
            case (byte)'{':
                return depth < PlainMaxDepth ? PlainObject(s, ref i, context, depth) : null;
            case (byte)'[':
                return depth < PlainMaxDepth ? PlainArray(s, ref i, context, depth) : null;
            case (byte)'"':
                return PlainString(s, ref i);
            case (byte)'t':
                return JsonLineScan.Word(s, ref i, "true"u8) ? JsonValue.True : null;
            case (byte)'f':
                return JsonLineScan.Word(s, ref i, "false"u8) ? JsonValue.False : null;
            case (byte)'n':
                return JsonLineScan.Word(s, ref i, "null"u8) ? JsonValue.Null : null;
            default:
                var start = i;
                return JsonLineScan.Number(s, ref i) ? JsonNumber.FromCheckedLiteral(Encoding.ASCII.GetString(s[start..i])) : null;
        }
    }

    // A number or literal needs no delimiter check of its own: whatever follows a value must be white space, a comma,
    // a closing bracket or the end, or the caller gives up ("1x", "truex" and "1.5.3" all stop there).

    /// <summary>Steps past the opening bracket at <paramref name="i"/> and any white space; true (and past it) when <paramref name="close"/> follows at once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Empty(ReadOnlySpan<byte> s, ref int i, byte close)
    {
        i = JsonLineScan.Skip(s, i + 1);
        if (i < s.Length && s[i] == close)
        {
            i++;
            return true;
        }
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static JsonObject? PlainObject(ReadOnlySpan<byte> s, ref int i, ParseContext context, int depth)
    {
        if (Empty(s, ref i, (byte)'}'))
        {
            return JsonObject.Empty;
        }
        var members = context.Members(depth);
        var size = 1;
        var interned = true;
        while (true)
        {
            // The name, as the reader's path takes it: short ones from the name table, longer ones decoded.
            if (i >= s.Length || s[i] != '"' || !JsonLineScan.StringBytes(s, ref i, out var nameBytes))
            {
                return null;
            }
            string name;
            if (nameBytes.Length <= NameTable.MaxNameBytes)
            {
                name = NameTable.Get(nameBytes, out var shared);
                interned &= shared;
            }
            else if (Utf8.IsValid(nameBytes))
            {
                name = Encoding.UTF8.GetString(nameBytes);
                interned = false;
            }
            else
            {
                return null;
            }
            var nameSize = PlainText.IsPlainUnescapedUtf8(nameBytes) ? nameBytes.Length + 2 : JsonText.EscapedUtf8Length(name) + 2;
            i = JsonLineScan.Skip(s, i);
            if (i >= s.Length || s[i] != ':')
            {
                return null;
            }
            i++;
            if (PlainValue(s, ref i, context, depth + 1) is not { } value)
            {
                return null;
            }
            members.Add(new(name, value));
            size += nameSize + 1 + value.Utf8Size + 1;
            switch (Next(s, ref i, (byte)'}'))
            {
                case null:
                    return null;
                case false:
                    return HasDuplicates(members, interned) ? JsonObject.FromMembers(WithoutDuplicates(members)) : JsonObject.FromParsed([.. members], size);
            }
            i = JsonLineScan.Skip(s, i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static JsonArray? PlainArray(ReadOnlySpan<byte> s, ref int i, ParseContext context, int depth)
    {
        if (Empty(s, ref i, (byte)']'))
        {
            return JsonArray.Empty;
        }
        var items = context.Items(depth);
        var size = 1;
        while (true)
        {
            if (PlainValue(s, ref i, context, depth + 1) is not { } item)
            {
                return null;
            }
            items.Add(item);
            size += item.Utf8Size + 1;
            switch (Next(s, ref i, (byte)']'))
            {
                case null:
                    return null;
                case false:
                    return new JsonArray([.. items], size);
            }
        }
    }

    /// <summary>
    /// What follows a member or an element: true for a comma (<paramref name="i"/> past it), false for the container's
    /// <paramref name="closer"/> (past it), null for anything else.
    /// </summary>
    private static bool? Next(ReadOnlySpan<byte> s, ref int i, byte closer)
    {
        i = JsonLineScan.Skip(s, i);
        if (i >= s.Length || (s[i] != ',' && s[i] != closer))
        {
            return null;
        }
        return s[i++] == ',';
    }

    /// <summary>A string value, made as the reader's path makes it (plain printable ASCII keeps its size).</summary>
    private static JsonString? PlainString(ReadOnlySpan<byte> s, ref int i)
    {
        if (!JsonLineScan.StringBytes(s, ref i, out var text))
        {
            return null;
        }
        if (text.IsEmpty)
        {
            return JsonString.Empty;
        }
        if (PlainText.IsPlainUnescapedUtf8(text))
        {
            return new JsonString(Encoding.ASCII.GetString(text), text.Length + 2);
        }
        // Not ASCII (or DEL): text only when it is UTF-8; the reader's path words the fault otherwise.
        return Utf8.IsValid(text) ? new JsonString(Encoding.UTF8.GetString(text)) : null;
    }
}
