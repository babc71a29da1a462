using OrderFlow.Json;

namespace OrderFlow.Events.Patterns;

/// <summary>
/// Validates a pattern the way EventBridge does and compiles it into <see cref="PatternNode"/>s. Every rejection names
/// the field, e.g. <c>detail.bucket.name: ...</c>.
/// </summary>
internal static class PatternParser
{
    private static readonly string[] Operators =
        ["prefix", "suffix", "equals-ignore-case", "wildcard", "anything-but", "numeric", "exists", "cidr"];

    public static PatternNode ParseObject(JsonObject obj, string location)
    {
        var fields = new List<PatternField>();
        var orGroups = new List<PatternNode[]>();
        foreach (var (name, value) in obj.Members)
        {
            var at = Join(location, name);
            if (name == "$or")
            {
                orGroups.Add(ParseOr(value, at));
                continue;
            }
            switch (value)
            {
                case JsonObject nested:
                    if (nested.Count == 0)
                    {
                        throw Invalid(at, "an empty object matches nothing; give its fields or remove it");
                    }
                    fields.Add(new PatternField(name, ParseObject(nested, at), null));
                    break;
                case JsonArray array:
                    fields.Add(new PatternField(name, null, new LeafMatcher(ParseLeaf(array, at))));
                    break;
                default:
                    throw Invalid(at, $"match values must be in an array, not a bare {value.KindName}; write [{value.ToJsonString()}]");
            }
        }
        return new PatternNode([.. fields], [.. orGroups]);
    }

    private static PatternNode[] ParseOr(JsonValue value, string at)
    {
        if (value is not JsonArray { Count: >= 2 } branches)
        {
            throw Invalid(at, "$or needs an array of at least two pattern objects");
        }
        var nodes = new PatternNode[branches.Count];
        for (var i = 0; i < branches.Count; i++)
        {
            if (branches[i] is not JsonObject { Count: > 0 } branch)
            {
                throw Invalid($"{at}[{i}]", "each $or branch must be a non-empty pattern object");
            }
            nodes[i] = ParseObject(branch, $"{at}[{i}]");
        }
        return nodes;
    }

    private static Condition[] ParseLeaf(JsonArray array, string at)
    {
        if (array.Count == 0)
        {
            throw Invalid(at, "an array of match values must not be empty");
        }
        var conditions = new Condition[array.Count];
        for (var i = 0; i < array.Count; i++)
        {
            conditions[i] = ParseMatchValue(array[i], $"{at}[{i}]");
        }
        return conditions;
    }

    private static Condition ParseMatchValue(JsonValue value, string at) => value switch
    {
        JsonString s => new ExactStringCondition(s.Value),
        JsonNumber or JsonBoolean or JsonNull => new ExactValueCondition(value),
        JsonArray => throw Invalid(at, "a match value cannot be an array"),
        JsonObject o => ParseOperator(o, at),
        _ => throw Invalid(at, "unexpected value"),
    };

    private static Condition ParseOperator(JsonObject o, string at)
    {
        if (o.Count != 1)
        {
            throw Invalid(at, o.Count == 0
                ? "an empty object is not a match value; use an operator such as {\"prefix\": \"...\"}"
                : $"a match object has exactly one operator, not {o.Count} ({string.Join(", ", o.Names)})");
        }
        var (op, operand) = o.Members[0];
        var opAt = $"{at}.{op}";
        return op switch
        {
            "prefix" => ParseAffix(operand, opAt, isPrefix: true),
            "suffix" => ParseAffix(operand, opAt, isPrefix: false),
            "equals-ignore-case" => new IgnoreCaseCondition(RequireString(operand, opAt)),
            "wildcard" => new WildcardCondition(ParseWildcard(operand, opAt)),
            "anything-but" => ParseAnythingBut(operand, opAt),
            "numeric" => NumericParser.Parse(operand, opAt),
            "exists" => operand is JsonBoolean b ? new ExistsCondition(b.Value) : throw Invalid(opAt, "exists takes true or false"),
            "cidr" => CidrCondition.TryParse(RequireString(operand, opAt), out var cidr)
                ? cidr
                : throw Invalid(opAt, $"{operand.ToJsonString()} is not an IPv4 or IPv6 CIDR block such as \"10.0.0.0/24\""),
            _ => throw Invalid(at, UnknownOperator(op)),
        };
    }

    private static string UnknownOperator(string op)
    {
        var near = Operators.FirstOrDefault(k => string.Equals(k, op, StringComparison.OrdinalIgnoreCase));
        return near is not null
            ? $"unrecognized match type \"{op}\": operators are lowercase, write \"{near}\""
            : $"unrecognized match type \"{op}\"; use one of {string.Join(", ", Operators)}";
    }

    private static AffixCondition ParseAffix(JsonValue operand, string at, bool isPrefix)
    {
        if (operand is JsonString s)
        {
            return new AffixCondition(s.Value, isPrefix, ignoreCase: false);
        }
        if (operand is JsonObject { Count: 1 } inner && inner["equals-ignore-case"] is { } text)
        {
            return new AffixCondition(RequireString(text, $"{at}.equals-ignore-case"), isPrefix, ignoreCase: true);
        }
        throw Invalid(at, $"{(isPrefix ? "prefix" : "suffix")} takes a string or {{\"equals-ignore-case\": \"...\"}}, not {operand.ToJsonString()}");
    }

    private static string ParseWildcard(JsonValue operand, string at)
    {
        var text = RequireString(operand, at);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                if (i + 1 >= text.Length || text[i + 1] is not ('*' or '\\'))
                {
                    throw Invalid(at, "in a wildcard, a backslash may only escape '*' or '\\'");
                }
                i++;
            }
            else if (text[i] == '*' && i + 1 < text.Length && text[i + 1] == '*')
            {
                throw Invalid(at, "consecutive wildcard characters (**) are not allowed");
            }
        }
        return text;
    }

    private static AnythingButCondition ParseAnythingBut(JsonValue operand, string at)
    {
        switch (operand)
        {
            case JsonString s:
                return AnythingButCondition.Strings([s.Value]);
            case JsonNumber n:
                return AnythingButCondition.Numbers([n.Value]);
            case JsonArray list:
                if (list.Count == 0)
                {
                    throw Invalid(at, "anything-but needs at least one value");
                }
                if (list.All(v => v is JsonString))
                {
                    return AnythingButCondition.Strings(list.Select(v => ((JsonString)v).Value));
                }
                if (list.All(v => v is JsonNumber))
                {
                    return AnythingButCondition.Numbers(list.Select(v => ((JsonNumber)v).Value));
                }
                throw Invalid(at, "an anything-but list holds only strings or only numbers, not a mix or other values");
            case JsonObject { Count: 1 } inner:
                var (op, value) = inner.Members[0];
                var innerAt = $"{at}.{op}";
                IEnumerable<string> Strings() => value is JsonArray a && a.Count > 0 && op is "equals-ignore-case" or "wildcard"
                    ? a.Select((v, i) => RequireString(v, $"{innerAt}[{i}]"))
                    : [RequireString(value, innerAt)];
                return op switch
                {
                    "prefix" => AnythingButCondition.Tests(Strings().Select(p => (Func<string, bool>)new AffixCondition(p, true, false).Test)),
                    "suffix" => AnythingButCondition.Tests(Strings().Select(p => (Func<string, bool>)new AffixCondition(p, false, false).Test)),
                    "equals-ignore-case" => AnythingButCondition.Tests(Strings().Select(p => (Func<string, bool>)new IgnoreCaseCondition(p).Test)),
                    "wildcard" => AnythingButCondition.Tests(Strings().Select(p => (Func<string, bool>)new WildcardCondition(ParseWildcard(new JsonString(p), innerAt)).Test)),
                    _ => throw Invalid(at, $"anything-but accepts prefix, suffix, equals-ignore-case or wildcard inside it, not \"{op}\""),
                };
            default:
                throw Invalid(at, $"anything-but takes a string, a number, a list of them, or an object with prefix, suffix, equals-ignore-case or wildcard; not {operand.ToJsonString()}");
        }
    }

    private static string RequireString(JsonValue value, string at) =>
        value is JsonString s ? s.Value : throw Invalid(at, $"must be a string, not {value.ToJsonString()}");

    internal static InvalidEventPatternException Invalid(string at, string reason) =>
        new(string.IsNullOrEmpty(at) ? reason : $"{at}: {reason}");

    private static string Join(string location, string name) => string.IsNullOrEmpty(location) ? name : $"{location}.{name}";
}

/// <summary>Parses <c>numeric</c>: <c>["=", n]</c>, <c>[op, n]</c>, or a range <c>[">"|">=", low, "<"|"<=", high]</c> with low &lt; high.</summary>
internal static class NumericParser
{
    public static NumericCondition Parse(JsonValue operand, string at)
    {
        if (operand is not JsonArray { Count: 2 or 4 } items)
        {
            throw PatternParser.Invalid(at, "numeric takes [operator, number] or a range [\">\"|\">=\", low, \"<\"|\"<=\", high]");
        }
        var (op1, n1) = Pair(items, 0, at);
        if (items.Count == 2)
        {
            return op1 switch
            {
                "=" => new NumericCondition(n1, true, n1, true),
                "<" => new NumericCondition(double.NegativeInfinity, false, n1, false),
                "<=" => new NumericCondition(double.NegativeInfinity, false, n1, true),
                ">" => new NumericCondition(n1, false, double.PositiveInfinity, false),
                ">=" => new NumericCondition(n1, true, double.PositiveInfinity, false),
                _ => throw PatternParser.Invalid(at, $"unrecognized numeric operator \"{op1}\"; use =, <, <=, > or >="),
            };
        }
        var (op2, n2) = Pair(items, 2, at);
        if (op1 is not (">" or ">=") || op2 is not ("<" or "<="))
        {
            throw PatternParser.Invalid(at, $"a numeric range starts with > or >= and ends with < or <=, not \"{op1}\" … \"{op2}\"");
        }
        if (n1 >= n2)
        {
            throw PatternParser.Invalid(at, $"the bottom of a numeric range ({n1}) must be less than its top ({n2})");
        }
        return new NumericCondition(n1, op1 == ">=", n2, op2 == "<=");
    }

    private static (string Op, double Value) Pair(JsonArray items, int i, string at)
    {
        if (items[i] is not JsonString op)
        {
            throw PatternParser.Invalid(at, $"element {i + 1} of numeric must be an operator string, not {items[i].ToJsonString()}");
        }
        if (items[i + 1] is not JsonNumber n)
        {
            throw PatternParser.Invalid(at, $"the operator \"{op.Value}\" must be followed by a number, not {items[i + 1].ToJsonString()}");
        }
        return (op.Value, n.Value);
    }
}
