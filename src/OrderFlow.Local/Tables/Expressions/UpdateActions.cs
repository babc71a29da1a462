using OrderFlow.Json;

namespace OrderFlow.Local.Tables.Expressions;

/// <summary>One action of an UpdateExpression.</summary>
internal abstract class UpdateAction(DocumentPath path)
{
    public DocumentPath Path { get; } = path;

    public abstract JsonObject Apply(JsonObject item);
}

internal sealed class SetAction(DocumentPath path, Operand value) : UpdateAction(path)
{
    public override JsonObject Apply(JsonObject item) =>
        Path.Set(item, value.Evaluate(item) ?? throw new ExpressionException($"The provided expression refers to an attribute that does not exist in the item: {Path}"));
}

internal sealed class RemoveAction(DocumentPath path) : UpdateAction(path)
{
    public override JsonObject Apply(JsonObject item) => Path.Remove(item);
}

/// <summary>ADD (numbers add, sets union; a missing attribute starts from zero or empty) and DELETE (sets subtract).</summary>
internal sealed class SetOperationAction(DocumentPath path, JsonValue operand, bool add) : UpdateAction(path)
{
    public override JsonObject Apply(JsonObject item)
    {
        var current = Path.Get(item);
        var type = AttributeValues.TypeOf(operand);
        if (add && type == "N")
        {
            if (current is not null && AttributeValues.TypeOf(current) != "N")
            {
                throw Mismatch();
            }
            var sum = Number(current) + Number(operand);
            return Path.Set(item, AttributeValues.Number(sum));
        }
        if (type is not ("SS" or "NS" or "BS"))
        {
            throw new ExpressionException(add
                ? "Incorrect operand type for operator or function; operator: ADD, operand type: " + type
                : "Incorrect operand type for operator or function; operator: DELETE, operand type: " + type);
        }
        if (current is not null && AttributeValues.TypeOf(current) != type)
        {
            throw Mismatch();
        }
        var existing = current is null ? [] : ((JsonArray)AttributeValues.Payload(current)).ToList();
        var change = (JsonArray)AttributeValues.Payload(operand);
        bool Same(JsonValue a, JsonValue b) => AttributeValues.AreEqual(AttributeValues.Of(type == "NS" ? "N" : "S", a), AttributeValues.Of(type == "NS" ? "N" : "S", b));
        if (add)
        {
            existing.AddRange(change.Where(c => !existing.Any(e => Same(e, c))));
        }
        else
        {
            existing.RemoveAll(e => change.Any(c => Same(e, c)));
        }
        return existing.Count == 0 ? Path.Remove(item) : Path.Set(item, AttributeValues.Of(type, new JsonArray([.. existing])));
    }

    private static decimal Number(JsonValue? value) =>
        value is null ? 0m : decimal.Parse(((JsonString)AttributeValues.Payload(value)).Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);

    private ExpressionException Mismatch() => new($"An operand in the update expression has an incorrect data type: {Path}");
}
