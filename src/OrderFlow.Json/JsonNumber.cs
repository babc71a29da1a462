using System.Globalization;
using System.Text.Json;

namespace OrderFlow.Json;

/// <summary>
/// A JSON number. Keeps its literal text so that numbers pass through the engine unchanged
/// (an order's <c>12.50</c> stays <c>12.50</c>); arithmetic uses <see cref="Value"/>.
/// </summary>
public sealed class JsonNumber : JsonValue
{
    // Integers made from a long (a Map item's index, an array's length) are exact in a double below 2^53.
    private const double ExactIntegerLimit = 9.007199254740992E15;

    private double _value;
    private string? _literal;

    private JsonNumber(double value, string? literal)
    {
        _value = value;
        _literal = literal;
    }

    /// <summary>The number as a double. A parsed number's literal is read only when the value is first asked for (most are only passed on).</summary>
    // NaN stands for "not read yet": no JSON number is NaN (FromDouble refuses it).
    public double Value => double.IsNaN(_value) ? _value = double.Parse(Literal, NumberStyles.Float, CultureInfo.InvariantCulture) : _value;

    /// <summary>
    /// The number as written in JSON. An integer made by <see cref="FromInt64"/> is written out only when first asked
    /// for: most (the position of every order in its file) are only compared, sized and passed on.
    /// </summary>
    public string Literal => _literal ??= ((long)_value).ToString(CultureInfo.InvariantCulture);

    public override JsonKind Kind => JsonKind.Number;

    /// <summary>True when the literal has no fraction or exponent and fits a 64-bit integer.</summary>
    public bool IsInteger => TryGetInt64(out _);

    public bool TryGetInt64(out long value)
    {
        if (_literal is null)
        {
            value = (long)_value; // made by FromInt64
            return true;
        }
        if (long.TryParse(Literal, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }
        if (Math.Floor(Value) == Value && Math.Abs(Value) < ExactIntegerLimit)
        {
            value = (long)Value;
            return true;
        }
        return false;
    }

    public static JsonNumber FromInt64(long value) =>
        Math.Abs((double)value) < ExactIntegerLimit ? new(value, null) : new(value, value.ToString(CultureInfo.InvariantCulture));

    public static JsonNumber FromDouble(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), "JSON numbers are finite.");
        }
        if (Math.Floor(value) == value && Math.Abs(value) < ExactIntegerLimit)
        {
            return FromInt64((long)value);
        }
        return new JsonNumber(value, value.ToString("R", CultureInfo.InvariantCulture));
    }

    /// <summary>A number from its JSON literal, kept as written. The literal must be a valid JSON/C# float.</summary>
    public static JsonNumber FromLiteral(string literal)
    {
        var value = double.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture);
        return new JsonNumber(value, literal);
    }

    /// <summary>A number from a literal the JSON reader has already checked: its value is read when first needed.</summary>
    internal static JsonNumber FromCheckedLiteral(string literal) => new(double.NaN, literal);

    /// <summary>
    /// Whether the literal is already the shortest round-trip form of its double ("R", as .NET Core 3.0 and later
    /// write it), so that canonical text can copy it: plain decimal notation with at most 15 significant digits (every
    /// such decimal survives the trip through a double, https://en.cppreference.com/w/cpp/types/numeric_limits/digits10),
    /// no leading zero, no trailing zero in the fraction, below 10^15 and at least 0.0001 (outside that range the
    /// round-trip form uses an exponent), and not -0.
    /// </summary>
    internal static bool IsShortestRoundTrip(string literal)
    {
        var i = literal.StartsWith('-') ? 1 : 0;
        var integerStart = i;
        while (i < literal.Length && char.IsAsciiDigit(literal[i]))
        {
            i++;
        }
        var integerDigits = i - integerStart;
        if (integerDigits is 0 or > 15 || (integerDigits > 1 && literal[integerStart] == '0'))
        {
            return false;
        }
        var integerIsZero = integerDigits == 1 && literal[integerStart] == '0';
        if (i == literal.Length)
        {
            return !(integerIsZero && integerStart == 1); // "-0" stays out
        }
        if (literal[i] != '.' || literal[^1] == '.' || literal[^1] == '0')
        {
            return false;
        }
        var fractionStart = ++i;
        while (i < literal.Length && char.IsAsciiDigit(literal[i]))
        {
            i++;
        }
        if (i != literal.Length)
        {
            return false; // an exponent, or not a number at all
        }
        var fractionDigits = i - fractionStart;
        if (!integerIsZero)
        {
            return integerDigits + fractionDigits <= 15;
        }
        var leadingZeros = literal.AsSpan(fractionStart).IndexOfAnyExcept('0');
        return leadingZeros <= 3 && fractionDigits - leadingZeros <= 15;
    }

    public override int Utf8Size => _literal?.Length ?? IntegerLength((long)_value);

    // The length of an integer's decimal text (a sign and its digits), without writing it.
    private static int IntegerLength(long value)
    {
        var length = value < 0 ? 2 : 1;
        for (var rest = Math.Abs(value); rest >= 10; rest /= 10)
        {
            length++;
        }
        return length;
    }

    public override void WriteTo(Utf8JsonWriter writer) => writer.WriteRawValue(Literal, skipInputValidation: true);

    // JSON numbers compare by value: 300 equals 300.0.
    public override bool Equals(JsonValue? other) => other is JsonNumber n && n.Value.Equals(Value);

    public override int GetHashCode() => Value.GetHashCode();
}
