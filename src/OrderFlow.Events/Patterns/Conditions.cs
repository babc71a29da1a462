using System.Globalization;
using OrderFlow.Json;

namespace OrderFlow.Events.Patterns;

/// <summary>One match value of a leaf, tested against one scalar of the event.</summary>
internal abstract class Condition
{
    public abstract bool Matches(JsonValue scalar);
}

/// <summary>An exact string: <c>"aws.s3"</c>. The empty string is a value of its own, distinct from null.</summary>
internal sealed class ExactStringCondition(string value) : Condition
{
    public string Value { get; } = value;

    public override bool Matches(JsonValue scalar) => scalar is JsonString s && string.Equals(s.Value, Value, StringComparison.Ordinal);
}

/// <summary>An exact number, boolean or null. Numbers compare by value; types never mix (300 is not "300").</summary>
internal sealed class ExactValueCondition(JsonValue value) : Condition
{
    public override bool Matches(JsonValue scalar) => scalar.Kind == value.Kind && scalar.Equals(value);
}

/// <summary><c>{"prefix": "x"}</c>, <c>{"suffix": "x"}</c> and their <c>equals-ignore-case</c> forms.</summary>
internal sealed class AffixCondition(string affix, bool isPrefix, bool ignoreCase) : Condition
{
    private readonly StringComparison _comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    public override bool Matches(JsonValue scalar) => scalar is JsonString s && Test(s.Value);

    public bool Test(string text) => isPrefix ? text.StartsWith(affix, _comparison) : text.EndsWith(affix, _comparison);
}

/// <summary><c>{"equals-ignore-case": "x"}</c>.</summary>
internal sealed class IgnoreCaseCondition(string value) : Condition
{
    public override bool Matches(JsonValue scalar) => scalar is JsonString s && Test(s.Value);

    public bool Test(string text) => string.Equals(text, value, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// <c>{"wildcard": "dir/*.png"}</c>: <c>*</c> matches any run of characters; <c>\*</c> is a literal star and
/// <c>\\</c> a literal backslash.
/// </summary>
internal sealed class WildcardCondition(string pattern) : Condition
{
    public override bool Matches(JsonValue scalar) => scalar is JsonString s && Test(s.Value);

    public bool Test(string text) => WildcardPattern.IsMatch(pattern, text);
}

/// <summary>
/// <c>{"anything-but": ...}</c>: holds for a present value that is not one of the listed values, or that does not
/// match the inner prefix, suffix, equals-ignore-case or wildcard.
/// </summary>
internal sealed class AnythingButCondition : Condition
{
    private readonly HashSet<string>? _strings;
    private readonly double[]? _numbers;
    private readonly Func<string, bool>[]? _stringTests;

    private AnythingButCondition(HashSet<string>? strings, double[]? numbers, Func<string, bool>[]? stringTests)
    {
        _strings = strings;
        _numbers = numbers;
        _stringTests = stringTests;
    }

    public static AnythingButCondition Strings(IEnumerable<string> values) => new(new HashSet<string>(values, StringComparer.Ordinal), null, null);

    public static AnythingButCondition Numbers(IEnumerable<double> values) => new(null, [.. values], null);

    public static AnythingButCondition Tests(IEnumerable<Func<string, bool>> tests) => new(null, null, [.. tests]);

    public override bool Matches(JsonValue scalar)
    {
        if (_strings is not null)
        {
            return scalar is not JsonString s || !_strings.Contains(s.Value);
        }
        if (_numbers is not null)
        {
            return scalar is not JsonNumber n || Array.IndexOf(_numbers, n.Value) < 0;
        }
        if (scalar is not JsonString text)
        {
            return true;
        }
        foreach (var test in _stringTests!)
        {
            if (test(text.Value))
            {
                return false;
            }
        }
        return true;
    }
}

/// <summary><c>{"exists": true|false}</c>; evaluated on the whole leaf, not per scalar.</summary>
internal sealed class ExistsCondition(bool shouldExist) : Condition
{
    public bool ShouldExist { get; } = shouldExist;

    public override bool Matches(JsonValue scalar) => ShouldExist;
}

/// <summary><c>{"numeric": [">", 0, "<=", 5]}</c>: a range over JSON numbers only (300 matches 300.0, "300" matches nothing).</summary>
internal sealed class NumericCondition(double lower, bool lowerInclusive, double upper, bool upperInclusive) : Condition
{
    public override bool Matches(JsonValue scalar)
    {
        if (scalar is not JsonNumber n)
        {
            return false;
        }
        var v = n.Value;
        return (lowerInclusive ? v >= lower : v > lower) && (upperInclusive ? v <= upper : v < upper);
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{(lowerInclusive ? "[" : "(")}{lower}, {upper}{(upperInclusive ? "]" : ")")}");
}
