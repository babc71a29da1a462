using OrderFlow.Json;

namespace OrderFlow.Local.Tables.Expressions;

/// <summary>A compiled condition (ConditionExpression, FilterExpression, KeyConditionExpression).</summary>
internal abstract class ConditionNode
{
    public abstract bool Evaluate(JsonObject item);
}

internal sealed class AndNode(ConditionNode left, ConditionNode right) : ConditionNode
{
    public ConditionNode Left => left;

    public ConditionNode Right => right;

    public override bool Evaluate(JsonObject item) => left.Evaluate(item) && right.Evaluate(item);
}

internal sealed class OrNode(ConditionNode left, ConditionNode right) : ConditionNode
{
    public override bool Evaluate(JsonObject item) => left.Evaluate(item) || right.Evaluate(item);
}

internal sealed class NotNode(ConditionNode inner) : ConditionNode
{
    public override bool Evaluate(JsonObject item) => !inner.Evaluate(item);
}

/// <summary><c>a = b</c>, <c>a &lt;&gt; b</c>, <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c>. Missing operands or types that differ never satisfy an ordering.</summary>
internal sealed class CompareNode(Operand left, string op, Operand right) : ConditionNode
{
    public Operand Left => left;

    public string Op => op;

    public Operand Right => right;

    public override bool Evaluate(JsonObject item)
    {
        var a = left.Evaluate(item);
        var b = right.Evaluate(item);
        if (a is null || b is null)
        {
            return op == "<>" && !(a is null && b is null);
        }
        switch (op)
        {
            case "=":
                return AttributeValues.AreEqual(a, b);
            case "<>":
                return !AttributeValues.AreEqual(a, b);
        }
        var c = AttributeValues.Compare(a, b);
        return c is { } v && op switch
        {
            "<" => v < 0,
            "<=" => v <= 0,
            ">" => v > 0,
            _ => v >= 0,
        };
    }
}

internal sealed class BetweenNode(Operand value, Operand low, Operand high) : ConditionNode
{
    public Operand Value => value;

    public Operand Low => low;

    public Operand High => high;

    public override bool Evaluate(JsonObject item)
    {
        var v = value.Evaluate(item);
        var lo = low.Evaluate(item);
        var hi = high.Evaluate(item);
        return v is not null && lo is not null && hi is not null
            && AttributeValues.Compare(v, lo) >= 0 && AttributeValues.Compare(v, hi) <= 0;
    }
}

internal sealed class InNode(Operand value, IReadOnlyList<Operand> candidates) : ConditionNode
{
    public override bool Evaluate(JsonObject item)
    {
        var v = value.Evaluate(item);
        return v is not null && candidates.Any(c => c.Evaluate(item) is { } other && AttributeValues.AreEqual(v, other));
    }
}

/// <summary>attribute_exists, attribute_not_exists, attribute_type, begins_with, contains.</summary>
internal sealed class FunctionNode(string name, DocumentPath path, Operand? argument) : ConditionNode
{
    public string Name => name;

    public DocumentPath Path => path;

    public Operand? Argument => argument;

    public override bool Evaluate(JsonObject item)
    {
        var value = path.Get(item);
        switch (name)
        {
            case "attribute_exists":
                return value is not null;
            case "attribute_not_exists":
                return value is null;
        }
        var arg = argument!.Evaluate(item);
        if (value is null || arg is null)
        {
            return false;
        }
        var payload = AttributeValues.Payload(value);
        switch (name)
        {
            case "attribute_type":
                return AttributeValues.TypeOf(arg) == "S" && ((JsonString)AttributeValues.Payload(arg)).Value == AttributeValues.TypeOf(value);
            case "begins_with":
                return (AttributeValues.TypeOf(value), AttributeValues.TypeOf(arg)) switch
                {
                    ("S", "S") => ((JsonString)payload).Value.StartsWith(((JsonString)AttributeValues.Payload(arg)).Value, StringComparison.Ordinal),
                    ("B", "B") => Convert.FromBase64String(((JsonString)payload).Value).AsSpan()
                        .StartsWith(Convert.FromBase64String(((JsonString)AttributeValues.Payload(arg)).Value)),
                    _ => false,
                };
            default: // contains
                return AttributeValues.TypeOf(value) switch
                {
                    "S" => AttributeValues.TypeOf(arg) == "S" && ((JsonString)payload).Value.Contains(((JsonString)AttributeValues.Payload(arg)).Value, StringComparison.Ordinal),
                    "SS" => AttributeValues.TypeOf(arg) == "S" && ((JsonArray)payload).Contains(AttributeValues.Payload(arg)),
                    "BS" => AttributeValues.TypeOf(arg) == "B" && ((JsonArray)payload).Contains(AttributeValues.Payload(arg)),
                    "NS" => AttributeValues.TypeOf(arg) == "N" && ((JsonArray)payload).Any(e => AttributeValues.AreEqual(AttributeValues.Of("N", e), arg)),
                    "L" => ((JsonArray)payload).Any(e => AttributeValues.AreEqual(e, arg)),
                    _ => false,
                };
        }
    }
}
