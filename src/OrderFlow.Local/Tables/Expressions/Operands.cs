using System.Globalization;
using OrderFlow.Json;

namespace OrderFlow.Local.Tables.Expressions;

/// <summary>A value in an expression: a path, a placeholder value, size(path), or (in SET) a function or arithmetic.</summary>
internal abstract class Operand
{
    /// <summary>The attribute value, or null when it is absent.</summary>
    public abstract JsonValue? Evaluate(JsonObject item);
}

internal sealed class PathOperand(DocumentPath path) : Operand
{
    public DocumentPath Path { get; } = path;

    public override JsonValue? Evaluate(JsonObject item) => Path.Get(item);
}

internal sealed class ValueOperand(JsonValue value) : Operand
{
    public override JsonValue? Evaluate(JsonObject item) => value;
}

/// <summary><c>size(path)</c>: string length, binary length, or number of elements.</summary>
internal sealed class SizeOperand(DocumentPath path) : Operand
{
    public override JsonValue? Evaluate(JsonObject item)
    {
        var value = path.Get(item);
        if (value is null)
        {
            return null;
        }
        var payload = AttributeValues.Payload(value);
        long? size = AttributeValues.TypeOf(value) switch
        {
            "S" => System.Text.Encoding.UTF8.GetByteCount(((JsonString)payload).Value),
            "B" => Convert.FromBase64String(((JsonString)payload).Value).Length,
            "M" => ((JsonObject)payload).Count,
            "L" or "SS" or "NS" or "BS" => ((JsonArray)payload).Count,
            _ => null,
        };
        return size is null ? null : AttributeValues.Number(size.Value);
    }
}

/// <summary><c>if_not_exists(path, value)</c>.</summary>
internal sealed class IfNotExistsOperand(DocumentPath path, Operand fallback) : Operand
{
    public override JsonValue? Evaluate(JsonObject item) => path.Get(item) ?? fallback.Evaluate(item);
}

/// <summary><c>list_append(a, b)</c>.</summary>
internal sealed class ListAppendOperand(Operand first, Operand second) : Operand
{
    public override JsonValue? Evaluate(JsonObject item)
    {
        var a = first.Evaluate(item);
        var b = second.Evaluate(item);
        if (a is null || b is null || AttributeValues.TypeOf(a) != "L" || AttributeValues.TypeOf(b) != "L")
        {
            throw new ExpressionException("An operand in the update expression has an incorrect data type: list_append takes two lists");
        }
        return AttributeValues.Of("L", new JsonArray([.. (JsonArray)AttributeValues.Payload(a), .. (JsonArray)AttributeValues.Payload(b)]));
    }
}

/// <summary><c>a + b</c> and <c>a - b</c> in SET: numbers only.</summary>
internal sealed class ArithmeticOperand(Operand left, bool add, Operand right) : Operand
{
    public override JsonValue? Evaluate(JsonObject item)
    {
        var a = left.Evaluate(item);
        var b = right.Evaluate(item);
        if (a is null || b is null)
        {
            throw new ExpressionException("The provided expression refers to an attribute that does not exist in the item");
        }
        if (AttributeValues.TypeOf(a) != "N" || AttributeValues.TypeOf(b) != "N")
        {
            throw new ExpressionException("An operand in the update expression has an incorrect data type");
        }
        var x = decimal.Parse(((JsonString)AttributeValues.Payload(a)).Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        var y = decimal.Parse(((JsonString)AttributeValues.Payload(b)).Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        return AttributeValues.Number(add ? x + y : x - y);
    }
}
