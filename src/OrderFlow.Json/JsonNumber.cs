using System.Globalization;
using System.Text.Json;

namespace OrderFlow.Json;

/// <summary>
/// A JSON number. Keeps its literal text so that numbers pass through the engine unchanged
/// (an order's <c>12.50</c> stays <c>12.50</c>); arithmetic uses <see cref="Value"/>.
/// </summary>
public sealed class JsonNumber : JsonValue
{
    private JsonNumber(double value, string literal)
    {
        Value = value;
        Literal = literal;
    }

    public double Value { get; }

    /// <summary>The number as written in JSON.</summary>
    public string Literal { get; }

    public override JsonKind Kind => JsonKind.Number;

    /// <summary>True when the literal has no fraction or exponent and fits a 64-bit integer.</summary>
    public bool IsInteger => TryGetInt64(out _);

    public bool TryGetInt64(out long value)
    {
        if (long.TryParse(Literal, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }
        if (Math.Floor(Value) == Value && Math.Abs(Value) < 9.007199254740992E15)
        {
            value = (long)Value;
            return true;
        }
        return false;
    }

    public static JsonNumber FromInt64(long value) => new(value, value.ToString(CultureInfo.InvariantCulture));

    public static JsonNumber FromDouble(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), "JSON numbers are finite.");
        }
        if (Math.Floor(value) == value && Math.Abs(value) < 9.007199254740992E15)
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

    public override int Utf8Size => Literal.Length;

    public override void WriteTo(Utf8JsonWriter writer) => writer.WriteRawValue(Literal, skipInputValidation: true);

    // JSON numbers compare by value: 300 equals 300.0.
    public override bool Equals(JsonValue? other) => other is JsonNumber n && n.Value.Equals(Value);

    public override int GetHashCode() => Value.GetHashCode();
}
