using System.Runtime.CompilerServices;

namespace OrderFlow.Json;

/// <summary>
/// A fast first look at a line of JSON Lines (the order file check asks it first): true only when the line is
/// certainly one well-formed JSON value (RFC 8259, https://www.rfc-editor.org/rfc/rfc8259) as
/// <see cref="System.Text.Json.Utf8JsonReader"/> reads it with default options, has no string with an escape, and nests
/// at most 64 levels. Anything else is false,
/// and the check reads the line with the reader itself, which finds the fault and words it. String contents are skipped
/// with one vectorized search for the next quote, backslash or control character, which is most of an order's bytes:
/// the reader tokenizes them a byte at a time.
/// </summary>
/// <remarks>
/// The line must already be known to be UTF-8 (the check tests that first): bytes above 0x7F are taken as text.
/// Its methods are compiled optimized at once (<see cref="MethodImplOptions.AggressiveOptimization"/>): the check runs
/// in a run's first second, while the JIT's background thread has a backlog of methods to optimize, so with tiering the
/// scan ran unoptimized for part of it (the check of 1,000,000 orders: 0.48–0.52 core-s against 0.53–0.55 tiered, and
/// 0.79 with the reader alone; docs/performance.md).
/// </remarks>
public static class JsonLineScan
{
    private const int MaxDepth = 64;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool IsPlainValid(ReadOnlySpan<byte> line)
    {
        var i = Skip(line, 0);
        var depth = 0;
        var objects = 0UL; // bit d: the container at depth d is an object
        while (true)
        {
            // A value starts at i.
            if (i >= line.Length)
            {
                return false;
            }
            var c = line[i];
            var closed = false;
            if (c is (byte)'{' or (byte)'[')
            {
                if (depth == MaxDepth)
                {
                    return false;
                }
                var isObject = c == '{';
                objects = isObject ? objects | (1UL << depth) : objects & ~(1UL << depth);
                depth++;
                i = Skip(line, i + 1);
                if (i < line.Length && line[i] == (isObject ? '}' : ']'))
                {
                    depth--;
                    i++;
                    closed = true;
                }
                else if (!isObject)
                {
                    continue; // the array's first element
                }
                else if (!Name(line, ref i))
                {
                    return false;
                }
                else
                {
                    continue; // the object's first member value
                }
            }
            if (!closed && !Scalar(line, ref i))
            {
                return false;
            }
            // After a value: a comma and the next value, closing brackets, or the end of the line.
            i = Skip(line, i);
            while (true)
            {
                if (depth == 0)
                {
                    return i == line.Length;
                }
                if (i >= line.Length)
                {
                    return false;
                }
                var inObject = ((objects >> (depth - 1)) & 1) != 0;
                if (line[i] == ',')
                {
                    i = Skip(line, i + 1);
                    if (inObject && !Name(line, ref i))
                    {
                        return false;
                    }
                    break;
                }
                if (line[i] != (inObject ? '}' : ']'))
                {
                    return false;
                }
                depth--;
                i = Skip(line, i + 1);
            }
        }
    }

    /// <summary>A member name, the colon and the white space after it; <paramref name="i"/> ends where the value starts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Name(ReadOnlySpan<byte> line, ref int i)
    {
        if (i >= line.Length || line[i] != '"' || !StringBytes(line, ref i, out _))
        {
            return false;
        }
        i = Skip(line, i);
        if (i >= line.Length || line[i] != ':')
        {
            return false;
        }
        i = Skip(line, i + 1);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Scalar(ReadOnlySpan<byte> line, ref int i)
    {
        var c = line[i];
        if (c == '"')
        {
            return StringBytes(line, ref i, out _);
        }
        var valid = c == '-' || char.IsAsciiDigit((char)c) ? Number(line, ref i)
            : Word(line, ref i, "true"u8) || Word(line, ref i, "false"u8) || Word(line, ref i, "null"u8);
        // A number or literal must end at a delimiter (the reader refuses "1x" or "truex").
        return valid && (i == line.Length || line[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)',' or (byte)']' or (byte)'}');
    }

    /// <summary>
    /// The contents of the string whose opening quote is at <paramref name="i"/>, when it has no escape and no control
    /// character (one vectorized search for its end); <paramref name="i"/> then ends past its closing quote. The parser's
    /// fast path reads strings and names with it too.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool StringBytes(ReadOnlySpan<byte> line, ref int i, out ReadOnlySpan<byte> text)
    {
        var rest = line[(i + 1)..];
        var stop = rest.IndexOfAny(JsonText.EscapedBytes); // its closing quote, or an escape or control character
        if (stop < 0 || rest[stop] != '"')
        {
            text = default;
            return false;
        }
        text = rest[..stop];
        i += stop + 2;
        return true;
    }

    /// <summary>-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? (RFC 8259 §6); <paramref name="i"/> ends past it (the parser's fast path reads numbers with it too).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool Number(ReadOnlySpan<byte> line, ref int i)
    {
        if (line[i] == '-')
        {
            i++;
        }
        if (i >= line.Length || !char.IsAsciiDigit((char)line[i]))
        {
            return false;
        }
        if (line[i] == '0')
        {
            i++;
        }
        else
        {
            Digits(line, ref i);
        }
        if (i < line.Length && line[i] == '.')
        {
            i++;
            if (!Digits(line, ref i))
            {
                return false;
            }
        }
        if (i < line.Length && line[i] is (byte)'e' or (byte)'E')
        {
            i++;
            if (i < line.Length && line[i] is (byte)'+' or (byte)'-')
            {
                i++;
            }
            return Digits(line, ref i);
        }
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Digits(ReadOnlySpan<byte> line, ref int i)
    {
        var start = i;
        while (i < line.Length && char.IsAsciiDigit((char)line[i]))
        {
            i++;
        }
        return i > start;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool Word(ReadOnlySpan<byte> line, ref int i, ReadOnlySpan<byte> word)
    {
        if (!line[i..].StartsWith(word))
        {
            return false;
        }
        i += word.Length;
        return true;
    }

    // Compact JSON has no white space between its tokens, and every JSON white space byte is at most ' ': one comparison
    // tells, inlined where the scan asks.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Skip(ReadOnlySpan<byte> line, int i) => i < line.Length && line[i] > ' ' ? i : SkipSpaces(line, i);

    private static int SkipSpaces(ReadOnlySpan<byte> line, int i)
    {
        while (i < line.Length && line[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }
        return i;
    }
}
