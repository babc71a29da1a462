using OrderFlow.Json;
using OrderFlow.States.Model;

namespace OrderFlow.States.Choice;

internal enum OperatorKind { String, Numeric, Boolean, Timestamp, StringMatches, IsNull, IsPresent, IsNumeric, IsString, IsBoolean, IsTimestamp }

internal enum Relation { Equals, LessThan, GreaterThan, LessThanEquals, GreaterThanEquals }

/// <summary>One of the States Language's comparison operators and how it compares.</summary>
internal sealed class ComparisonOperator
{
    private ComparisonOperator(string name, OperatorKind kind, Relation relation, bool isPath)
    {
        Name = name;
        Kind = kind;
        Relation = relation;
        IsPath = isPath;
    }

    public string Name { get; }

    public OperatorKind Kind { get; }

    public Relation Relation { get; }

    /// <summary>True for the <c>...Path</c> variants, whose value is a path to compare against.</summary>
    public bool IsPath { get; }

    public static readonly IReadOnlyDictionary<string, ComparisonOperator> All = Build();

    private static Dictionary<string, ComparisonOperator> Build()
    {
        var all = new Dictionary<string, ComparisonOperator>(StringComparer.Ordinal);
        foreach (var (prefix, kind) in new[] { ("String", OperatorKind.String), ("Numeric", OperatorKind.Numeric), ("Timestamp", OperatorKind.Timestamp) })
        {
            foreach (var relation in Enum.GetValues<Relation>())
            {
                var name = prefix + relation;
                all[name] = new ComparisonOperator(name, kind, relation, false);
                all[name + "Path"] = new ComparisonOperator(name + "Path", kind, relation, true);
            }
        }
        all["BooleanEquals"] = new("BooleanEquals", OperatorKind.Boolean, Relation.Equals, false);
        all["BooleanEqualsPath"] = new("BooleanEqualsPath", OperatorKind.Boolean, Relation.Equals, true);
        all["StringMatches"] = new("StringMatches", OperatorKind.StringMatches, Relation.Equals, false);
        foreach (var (name, kind) in new[]
        {
            ("IsNull", OperatorKind.IsNull), ("IsPresent", OperatorKind.IsPresent), ("IsNumeric", OperatorKind.IsNumeric),
            ("IsString", OperatorKind.IsString), ("IsBoolean", OperatorKind.IsBoolean), ("IsTimestamp", OperatorKind.IsTimestamp),
        })
        {
            all[name] = new ComparisonOperator(name, kind, Relation.Equals, false);
        }
        return all;
    }

    /// <summary>Checks the literal operand's type at parse time; null when it fits.</summary>
    public string? CheckLiteral(JsonValue value) => Kind switch
    {
        OperatorKind.String or OperatorKind.StringMatches when value is not JsonString => "must be a string",
        OperatorKind.Numeric when value is not JsonNumber => "must be a number",
        OperatorKind.Boolean when value is not JsonBoolean => "must be a boolean",
        OperatorKind.Timestamp when value is not JsonString s || !Timestamps.TryParse(s.Value, out _) => "must be an RFC 3339 timestamp string such as 2026-01-31T12:00:00Z",
        >= OperatorKind.IsNull when value is not JsonBoolean => "must be a boolean",
        _ => null,
    };

    /// <summary>
    /// Compares. Values of the wrong type never match (a string is not NumericEquals anything); numbers compare by
    /// value (300 equals 300.0); strings compare by UTF-16 code unit, as Step Functions does.
    /// </summary>
    public bool Test(JsonValue value, JsonValue expected)
    {
        switch (Kind)
        {
            case OperatorKind.String:
                return value is JsonString a && expected is JsonString b && Holds(string.CompareOrdinal(a.Value, b.Value));
            case OperatorKind.Numeric:
                return value is JsonNumber x && expected is JsonNumber y && Holds(x.Value.CompareTo(y.Value));
            case OperatorKind.Boolean:
                return value is JsonBoolean p && expected is JsonBoolean q && p.Value == q.Value;
            case OperatorKind.Timestamp:
                return value is JsonString ts && expected is JsonString es
                    && Timestamps.TryParse(ts.Value, out var t1) && Timestamps.TryParse(es.Value, out var t2)
                    && Holds(t1.CompareTo(t2));
            case OperatorKind.StringMatches:
                return value is JsonString sv && WildcardPattern.IsMatch(((JsonString)expected).Value, sv.Value);
            default:
                var want = ((JsonBoolean)expected).Value;
                var actual = Kind switch
                {
                    OperatorKind.IsNull => value is JsonNull,
                    OperatorKind.IsNumeric => value is JsonNumber,
                    OperatorKind.IsString => value is JsonString,
                    OperatorKind.IsBoolean => value is JsonBoolean,
                    _ => value is JsonString s && Timestamps.TryParse(s.Value, out _),
                };
                return actual == want;
        }
    }

    private bool Holds(int comparison) => Relation switch
    {
        Relation.Equals => comparison == 0,
        Relation.LessThan => comparison < 0,
        Relation.GreaterThan => comparison > 0,
        Relation.LessThanEquals => comparison <= 0,
        _ => comparison >= 0,
    };
}
