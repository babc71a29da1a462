using System.Globalization;
using System.Text;
using OrderFlow.Json;

namespace OrderFlow.States.Paths;

/// <summary>A compiled JSONPath filter predicate, <c>[?(...)]</c>, in Jayway's syntax.</summary>
internal abstract class FilterExpression
{
    public abstract bool Test(JsonValue current, in PathRoots roots);
}

internal sealed class AndFilter(FilterExpression left, FilterExpression right) : FilterExpression
{
    public override bool Test(JsonValue current, in PathRoots roots) => left.Test(current, roots) && right.Test(current, roots);
}

internal sealed class OrFilter(FilterExpression left, FilterExpression right) : FilterExpression
{
    public override bool Test(JsonValue current, in PathRoots roots) => left.Test(current, roots) || right.Test(current, roots);
}

internal sealed class NotFilter(FilterExpression inner) : FilterExpression
{
    public override bool Test(JsonValue current, in PathRoots roots) => !inner.Test(current, roots);
}

/// <summary>An operand: a literal, or a path relative to the current node (<c>@</c>) or the input (<c>$</c>).</summary>
internal sealed class FilterOperand
{
    private readonly JsonValue? _literal;
    private readonly PathSegment[]? _segments;
    private readonly bool _fromCurrent;

    private FilterOperand(JsonValue? literal, PathSegment[]? segments, bool fromCurrent)
    {
        _literal = literal;
        _segments = segments;
        _fromCurrent = fromCurrent;
    }

    public static FilterOperand Literal(JsonValue value) => new(value, null, false);

    public static FilterOperand Path(PathSegment[] segments, bool fromCurrent) => new(null, segments, fromCurrent);

    public JsonValue? Resolve(JsonValue current, in PathRoots roots)
    {
        if (_literal is not null)
        {
            return _literal;
        }
        var node = _fromCurrent ? current : roots.Input;
        foreach (var segment in _segments!)
        {
            if (!segment.IsDefinite)
            {
                var matches = new List<JsonValue>();
                segment.Select(node, roots, matches);
                node = new JsonArray([.. matches]);
                continue;
            }
            var next = segment.SelectOne(node);
            if (next is null)
            {
                return null;
            }
            node = next;
        }
        return node;
    }
}

internal sealed class ExistsFilter(FilterOperand operand) : FilterExpression
{
    public override bool Test(JsonValue current, in PathRoots roots) =>
        operand.Resolve(current, roots) is { } v && v is not JsonBoolean { Value: false };
}

internal sealed class CompareFilter(FilterOperand left, string op, FilterOperand right) : FilterExpression
{
    public override bool Test(JsonValue current, in PathRoots roots)
    {
        var l = left.Resolve(current, roots);
        var r = right.Resolve(current, roots);
        if (l is null || r is null)
        {
            return op == "!=" && !(l is null && r is null);
        }
        return op switch
        {
            "==" => l.Equals(r),
            "!=" => !l.Equals(r),
            _ => Order(l, r) is { } c && op switch
            {
                "<" => c < 0,
                "<=" => c <= 0,
                ">" => c > 0,
                _ => c >= 0,
            },
        };
    }

    private static int? Order(JsonValue l, JsonValue r) => (l, r) switch
    {
        (JsonNumber a, JsonNumber b) => a.Value.CompareTo(b.Value),
        (JsonString a, JsonString b) => string.CompareOrdinal(a.Value, b.Value),
        _ => null,
    };
}

/// <summary>Parses the text between <c>?(</c> and <c>)</c>.</summary>
internal static class FilterParser
{
    public static FilterExpression Parse(string text, ref int pos)
    {
        var expr = ParseOr(text, ref pos);
        return expr;
    }

    private static FilterExpression ParseOr(string text, ref int pos)
    {
        var left = ParseAnd(text, ref pos);
        while (TryConsume(text, ref pos, "||"))
        {
            left = new OrFilter(left, ParseAnd(text, ref pos));
        }
        return left;
    }

    private static FilterExpression ParseAnd(string text, ref int pos)
    {
        var left = ParseUnary(text, ref pos);
        while (TryConsume(text, ref pos, "&&"))
        {
            left = new AndFilter(left, ParseUnary(text, ref pos));
        }
        return left;
    }

    private static FilterExpression ParseUnary(string text, ref int pos)
    {
        SkipSpaces(text, ref pos);
        if (pos < text.Length && text[pos] == '!' && (pos + 1 >= text.Length || text[pos + 1] != '='))
        {
            pos++;
            return new NotFilter(ParseUnary(text, ref pos));
        }
        if (pos < text.Length && text[pos] == '(')
        {
            pos++;
            var inner = ParseOr(text, ref pos);
            SkipSpaces(text, ref pos);
            if (pos >= text.Length || text[pos] != ')')
            {
                throw Error(text, pos, "')' expected");
            }
            pos++;
            return inner;
        }
        var left = ParseOperand(text, ref pos);
        SkipSpaces(text, ref pos);
        foreach (var op in new[] { "==", "!=", "<=", ">=", "<", ">" })
        {
            if (TryConsume(text, ref pos, op))
            {
                return new CompareFilter(left, op, ParseOperand(text, ref pos));
            }
        }
        return new ExistsFilter(left);
    }

    private static FilterOperand ParseOperand(string text, ref int pos)
    {
        SkipSpaces(text, ref pos);
        if (pos >= text.Length)
        {
            throw Error(text, pos, "an operand is expected");
        }
        var c = text[pos];
        if (c is '@' or '$')
        {
            pos++;
            return FilterOperand.Path(JsonPathParser.ParseRelative(text, ref pos), c == '@');
        }
        if (c is '\'' or '"')
        {
            var sb = new StringBuilder();
            pos++;
            while (pos < text.Length && text[pos] != c)
            {
                if (text[pos] == '\\' && pos + 1 < text.Length)
                {
                    pos++;
                }
                sb.Append(text[pos++]);
            }
            if (pos >= text.Length)
            {
                throw Error(text, pos, "unterminated string");
            }
            pos++;
            return FilterOperand.Literal(new JsonString(sb.ToString()));
        }
        foreach (var (word, value) in new[] { ("true", JsonValue.True), ("false", JsonValue.False), ("null", JsonValue.Null) })
        {
            if (string.CompareOrdinal(text, pos, word, 0, word.Length) == 0)
            {
                pos += word.Length;
                return FilterOperand.Literal(value);
            }
        }
        var start = pos;
        while (pos < text.Length && (char.IsAsciiDigit(text[pos]) || text[pos] is '-' or '+' or '.' or 'e' or 'E'))
        {
            pos++;
        }
        if (pos > start && double.TryParse(text.AsSpan(start, pos - start), NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            return FilterOperand.Literal(JsonNumber.FromLiteral(text[start..pos]));
        }
        throw Error(text, start, "an operand (@path, $path, string, number, true, false or null) is expected");
    }

    private static bool TryConsume(string text, ref int pos, string token)
    {
        SkipSpaces(text, ref pos);
        if (string.CompareOrdinal(text, pos, token, 0, token.Length) == 0)
        {
            pos += token.Length;
            return true;
        }
        return false;
    }

    private static void SkipSpaces(string text, ref int pos)
    {
        while (pos < text.Length && text[pos] == ' ')
        {
            pos++;
        }
    }

    private static FormatException Error(string text, int pos, string reason) =>
        new($"\"{text}\" is not a valid JSONPath: {reason} in the filter at position {pos + 1}.");
}
