namespace OrderFlow.Orders.Validation.Proof;

/// <summary>
/// A <c>pattern</c> of the plain kind schemas use for codes and identifiers, matched without a regular-expression
/// engine: an optional <c>^</c>, a sequence of one-character atoms each with an optional quantifier, an optional
/// <c>$</c>. An atom is a literal character, an escaped punctuation character, <c>.</c>, <c>\d \D \s \S \w \W</c>, or a
/// bracket class of those and ranges (<c>[^...]</c> too); a quantifier is <c>? * + {n} {n,} {n,m}</c>, lazy or not.
/// Anything else (groups, alternation, back references, other escapes) is not simple: <see cref="TryParse"/> returns
/// null and the pattern goes to <see cref="System.Text.RegularExpressions.Regex"/>.
/// </summary>
/// <remarks>
/// <see cref="IsMatch"/> is for printable ASCII text (' ' to '~') only. There ECMA-262 (https://tc39.es/ecma262/#sec-regexp-regular-expression-objects)
/// and .NET read every construct above alike: <c>\s</c> is the space alone, <c>\d</c> and <c>\w</c> their ASCII sets,
/// <c>.</c> any character, and <c>$</c> the end (no final line feed to stand before). A bracket class that opens with
/// <c>]</c> or holds <c>[</c> is refused: the two dialects read those differently (an empty class in ECMA-262, a
/// literal or a class subtraction in .NET).
/// The match is exact, not greedy: the positions each atom can end at are all kept, so no backtracking is needed and
/// the time is linear in the text's length for each atom.
/// </remarks>
internal sealed class SimplePattern
{
    // Large enough for any bound a schema means; a larger one is left to the regex engine.
    private const int MaxBound = 100_000;

    private readonly Atom[] _atoms;
    private readonly bool _fromStart;
    private readonly bool _toEnd;

    private SimplePattern(Atom[] atoms, bool fromStart, bool toEnd) => (_atoms, _fromStart, _toEnd) = (atoms, fromStart, toEnd);

    /// <summary>One character class (a bit per ASCII code, in two halves) taken between <see cref="Min"/> and <see cref="Max"/> times.</summary>
    private readonly record struct Atom(ulong Low, ulong High, int Min, int Max)
    {
        public bool Accepts(char c) => c < 64 ? ((Low >> c) & 1) != 0 : c < 128 && ((High >> (c - 64)) & 1) != 0;
    }

    /// <summary>The pattern as a <see cref="SimplePattern"/>, or null when it is not one.</summary>
    public static SimplePattern? TryParse(string pattern)
    {
        var atoms = new List<Atom>();
        var at = 0;
        var fromStart = at < pattern.Length && pattern[at] == '^';
        if (fromStart)
        {
            at++;
        }
        var toEnd = false;
        while (at < pattern.Length)
        {
            if (pattern[at] == '$' && at == pattern.Length - 1)
            {
                toEnd = true;
                break;
            }
            if (ReadAtom(pattern, ref at) is not { } chars || ReadQuantifier(pattern, ref at) is not var (min, max))
            {
                return null;
            }
            atoms.Add(new Atom((ulong)chars, (ulong)(chars >> 64), min, max));
        }
        return new SimplePattern([.. atoms], fromStart, toEnd);
    }

    /// <summary>Whether the pattern matches somewhere in <paramref name="text"/>, which must be printable ASCII.</summary>
    public bool IsMatch(ReadOnlySpan<char> text) => text.Length < 64 ? IsMatchShort(text) : IsMatchLong(text);

    // Text of at most 63 characters: the positions 0..n are the bits of one word, and taking one more character of the
    // atom's class from every reachable position at once is a shift.
    private bool IsMatchShort(ReadOnlySpan<char> text)
    {
        var n = text.Length;
        var reach = _fromStart ? 1UL : (n == 63 ? ulong.MaxValue : (1UL << (n + 1)) - 1);
        foreach (var atom in _atoms)
        {
            var accepts = 0UL; // bit p: text[p] is in the atom's class
            for (var p = 0; p < n; p++)
            {
                if (atom.Accepts(text[p]))
                {
                    accepts |= 1UL << p;
                }
            }
            var step = reach;
            var next = atom.Min == 0 ? reach : 0UL;
            for (var taken = 1; taken <= atom.Max && step != 0; taken++)
            {
                step = (step & accepts) << 1;
                if (taken >= atom.Min)
                {
                    next |= step;
                }
            }
            reach = next;
            if (reach == 0)
            {
                return false;
            }
        }
        return _toEnd ? ((reach >> n) & 1) != 0 : reach != 0;
    }

    private bool IsMatchLong(ReadOnlySpan<char> text)
    {
        var n = text.Length;
        // reach[p]: the atoms so far can end at position p. ends[p]: where a run of the atom's characters from p stops.
        Span<bool> reach = n < 512 ? stackalloc bool[n + 1] : new bool[n + 1];
        Span<bool> next = n < 512 ? stackalloc bool[n + 1] : new bool[n + 1];
        Span<int> ends = n < 512 ? stackalloc int[n + 1] : new int[n + 1];
        Span<int> marks = n < 512 ? stackalloc int[n + 2] : new int[n + 2];
        if (_fromStart)
        {
            reach.Clear();
            reach[0] = true;
        }
        else
        {
            reach.Fill(true);
        }
        foreach (var atom in _atoms)
        {
            ends[n] = n;
            for (var p = n - 1; p >= 0; p--)
            {
                ends[p] = atom.Accepts(text[p]) ? ends[p + 1] : p;
            }
            // From p the atom can end anywhere in [p + Min, min(p + Max, ends[p])]: marked as intervals, then summed.
            marks.Clear();
            var any = false;
            for (var p = 0; p <= n; p++)
            {
                if (!reach[p])
                {
                    continue;
                }
                var first = (long)p + atom.Min;
                var last = Math.Min((long)p + atom.Max, ends[p]);
                if (first <= last)
                {
                    marks[(int)first]++;
                    marks[(int)last + 1]--;
                    any = true;
                }
            }
            if (!any)
            {
                return false;
            }
            var open = 0;
            for (var p = 0; p <= n; p++)
            {
                open += marks[p];
                next[p] = open > 0;
            }
            next.CopyTo(reach);
        }
        return _toEnd ? reach[n] : reach.Contains(true);
    }

    private static UInt128? ReadAtom(string pattern, ref int at)
    {
        var c = pattern[at++];
        switch (c)
        {
            case '\\':
                return at < pattern.Length ? Escape(pattern[at++]) : null;
            case '[':
                return ReadClass(pattern, ref at);
            case '.':
                return Printable;
            case '(' or ')' or '|' or '{' or '}' or ']' or '*' or '+' or '?' or '^' or '$':
                return null;
            default:
                return IsPrintable(c) ? Bit(c) : null;
        }
    }

    private static UInt128? ReadClass(string pattern, ref int at)
    {
        var negated = at < pattern.Length && pattern[at] == '^';
        if (negated)
        {
            at++;
        }
        if (at < pattern.Length && pattern[at] == ']')
        {
            return null; // "[]" or "[^]": ECMA-262 and .NET disagree
        }
        var chars = UInt128.Zero;
        while (at < pattern.Length && pattern[at] != ']')
        {
            var start = pattern[at];
            if (start == '[')
            {
                return null;
            }
            UInt128 item;
            char? single = null;
            if (start == '\\')
            {
                if (at + 1 >= pattern.Length || Escape(pattern[at + 1]) is not { } escaped)
                {
                    return null;
                }
                item = escaped;
                single = char.IsAsciiLetterOrDigit(pattern[at + 1]) ? null : pattern[at + 1];
                at += 2;
            }
            else if (IsPrintable(start))
            {
                item = Bit(start);
                single = start;
                at++;
            }
            else
            {
                return null;
            }
            // A range a-b between two single characters; a '-' first or last in the class is itself.
            if (single is { } low && at + 1 < pattern.Length && pattern[at] == '-' && pattern[at + 1] != ']')
            {
                var high = pattern[at + 1];
                if (high is '\\' or '[' || !IsPrintable(high) || high < low)
                {
                    return null;
                }
                item = Range(low, high);
                at += 2;
                if (at + 1 < pattern.Length && pattern[at] == '-' && pattern[at + 1] != ']')
                {
                    return null; // "a-c-e": a dash after a range is left to the regex engine
                }
            }
            chars |= item;
        }
        if (at >= pattern.Length)
        {
            return null; // unclosed
        }
        at++; // ']'
        return negated ? Printable & ~chars : chars;
    }

    /// <summary>What <c>\x</c> stands for, over printable ASCII; null for an escape this class does not read.</summary>
    private static UInt128? Escape(char c) => c switch
    {
        'd' => Digits,
        'D' => Printable & ~Digits,
        'w' => Word,
        'W' => Printable & ~Word,
        's' => Bit(' '),
        'S' => Printable & ~Bit(' '),
        // \b is a backspace in a class and a word boundary outside; other letters and digits are escapes of their own.
        _ when char.IsAsciiLetterOrDigit(c) => null,
        _ when IsPrintable(c) => Bit(c),
        _ => null,
    };

    private static (int Min, int Max)? ReadQuantifier(string pattern, ref int at)
    {
        if (at >= pattern.Length)
        {
            return (1, 1);
        }
        (int, int)? bounds = pattern[at] switch
        {
            '?' => (0, 1),
            '*' => (0, MaxBound),
            '+' => (1, MaxBound),
            '{' => null,
            _ => (1, 1),
        };
        if (pattern[at] is '?' or '*' or '+')
        {
            at++;
        }
        else if (pattern[at] == '{')
        {
            var close = pattern.IndexOf('}', at);
            if (close < 0 || ParseBounds(pattern.AsSpan(at + 1, close - at - 1)) is not { } counted)
            {
                return null;
            }
            bounds = counted;
            at = close + 1;
        }
        else
        {
            return bounds;
        }
        if (at < pattern.Length && pattern[at] == '?')
        {
            at++; // lazy: the same matches
        }
        return at < pattern.Length && pattern[at] is '?' or '*' or '+' or '{' ? null : bounds;
    }

    private static (int, int)? ParseBounds(ReadOnlySpan<char> text)
    {
        var comma = text.IndexOf(',');
        if (comma < 0)
        {
            return Number(text) is { } exact ? (exact, exact) : null;
        }
        if (Number(text[..comma]) is not { } min)
        {
            return null;
        }
        if (comma == text.Length - 1)
        {
            return (min, MaxBound);
        }
        return Number(text[(comma + 1)..]) is { } max && max >= min ? (min, max) : null;
    }

    private static int? Number(ReadOnlySpan<char> digits) =>
        digits.Length is > 0 and <= 6 && !digits.ContainsAnyExceptInRange('0', '9') && int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture) is var value && value <= MaxBound
            ? value
            : null;

    private static bool IsPrintable(char c) => c is >= ' ' and <= '~';

    private static UInt128 Bit(char c) => UInt128.One << c;

    private static UInt128 Range(char low, char high)
    {
        var bits = UInt128.Zero;
        for (var c = low; c <= high; c++)
        {
            bits |= Bit(c);
        }
        return bits;
    }

    private static readonly UInt128 Printable = Range(' ', '~');
    private static readonly UInt128 Digits = Range('0', '9');
    private static readonly UInt128 Word = Range('a', 'z') | Range('A', 'Z') | Digits | Bit('_');
}
