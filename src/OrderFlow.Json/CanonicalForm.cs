using System.Globalization;

namespace OrderFlow.Json;

/// <summary>
/// How <see cref="JsonValue.WriteCanonicalJsonText(System.Buffers.IBufferWriter{byte}, CanonicalForm)"/> writes a value:
/// always members in ordinal name order and numbers in their shortest round-trip form; with
/// <see cref="NumericStrings"/>, a string value of a member of one of those names (at any depth) that holds a decimal
/// number (<c>"12.50"</c>, <c>"3"</c>, <c>"007"</c>, <c>"1e2"</c>) is written as that number, so that
/// <c>{"qty":"3"}</c> and <c>{"qty":3}</c> write alike. Immutable: one instance serves every thread.
/// </summary>
public sealed class CanonicalForm
{
    /// <summary>Members in name order, numbers in round-trip form, strings as they are.</summary>
    public static readonly CanonicalForm Plain = new([]);

    private readonly string[] _numericStrings;

    public CanonicalForm(IEnumerable<string> numericStrings)
    {
        ArgumentNullException.ThrowIfNull(numericStrings);
        _numericStrings = [.. numericStrings.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The member names whose decimal-number strings are written as numbers.</summary>
    public IReadOnlyList<string> NumericStrings => _numericStrings;

    /// <summary>
    /// Whether <paramref name="text"/>, the value of member <paramref name="name"/>, is written as the number
    /// <paramref name="value"/> (its text, <paramref name="literal"/>). The string's text is read only for a named member:
    /// a string held as UTF-8 is not turned into a .NET string for nothing.
    /// </summary>
    internal bool ReadsAsNumber(string name, JsonString text, out string literal, out double value)
    {
        value = 0;
        literal = string.Empty;
        foreach (var numeric in _numericStrings)
        {
            if (string.Equals(name, numeric, StringComparison.Ordinal))
            {
                literal = text.Value;
                return IsDecimal(literal)
                    && double.TryParse(literal, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value)
                    && double.IsFinite(value);
            }
        }
        return false;
    }

    // A JSON number's grammar (https://www.rfc-editor.org/rfc/rfc8259#section-6), except that leading zeros are allowed
    // ("007" reads as 7): no spaces, no "+", no ".5" or "5.", no hex, no "NaN".
    private static bool IsDecimal(string text)
    {
        var i = text.StartsWith('-') ? 1 : 0;
        var digits = Digits(text, ref i);
        if (digits == 0)
        {
            return false;
        }
        if (i < text.Length && text[i] == '.')
        {
            i++;
            if (Digits(text, ref i) == 0)
            {
                return false;
            }
        }
        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '+' or '-')
            {
                i++;
            }
            if (Digits(text, ref i) == 0)
            {
                return false;
            }
        }
        return i == text.Length;
    }

    private static int Digits(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }
        return i - start;
    }
}
