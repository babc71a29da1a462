using System.Reflection;
using System.Globalization;
using JsonNode = System.Text.Json.Nodes.JsonNode;
using Nodes = System.Text.Json.Nodes;
using Json.Schema;
using OrderFlow.Json;

namespace OrderFlow.Orders.Validation;

/// <summary>
/// Validates one order against <c>definitions/order.schema.json</c> (JSON Schema 2020-12, evaluated with
/// JsonSchema.Net) and the business rules a schema cannot say (ISO 4217 currencies, ISO 3166-1 countries). Every
/// violation is reported at once, each with its path and a message a person can act on.
/// </summary>
public sealed class OrderValidator
{
    private static readonly Lazy<JsonSchema> EmbeddedSchema = new(() =>
    {
        using var stream = typeof(OrderValidator).Assembly.GetManifestResourceStream("order.schema.json")
            ?? throw new InvalidOperationException("order.schema.json is not embedded in OrderFlow.Orders");
        using var reader = new StreamReader(stream);
        return JsonSchema.FromText(reader.ReadToEnd());
    });

    // Most orders are valid: a pass/fail evaluation first, the detailed one only for an order that fails.
    private static readonly EvaluationOptions Quick = new() { OutputFormat = OutputFormat.Flag, RequireFormatValidation = true };
    private static readonly EvaluationOptions Detailed = new() { OutputFormat = OutputFormat.Hierarchical, RequireFormatValidation = true };

    private readonly JsonSchema _schema;

    /// <summary>A validator for the schema shipped in <c>definitions/order.schema.json</c>.</summary>
    public OrderValidator() => _schema = EmbeddedSchema.Value;

    /// <summary>A validator for another schema (its messages for unknown keywords are the library's).</summary>
    public OrderValidator(string schemaJson) => _schema = JsonSchema.FromText(schemaJson);

    public IReadOnlyList<Violation> Validate(JsonValue order)
    {
        var node = ToNode(order);
        var violations = new List<Violation>();
        if (!_schema.Evaluate(node, Quick).IsValid)
        {
            violations.AddRange(SchemaMessages.From(_schema.Evaluate(node, Detailed)));
        }
        violations.AddRange(BusinessRules.Check(order, violations));
        return violations;
    }

    internal static Assembly Assembly => typeof(OrderValidator).Assembly;

    /// <summary>The order as the node tree JsonSchema.Net evaluates, built directly rather than through JSON text.</summary>
    internal static JsonNode? ToNode(JsonValue value) => value switch
    {
        JsonObject o => new Nodes.JsonObject(o.Members.Select(m => new KeyValuePair<string, JsonNode?>(m.Key, ToNode(m.Value)))),
        JsonArray a => new Nodes.JsonArray([.. a.Select(ToNode)]),
        JsonString s => Nodes.JsonValue.Create(s.Value),
        JsonNumber n => n.TryGetInt64(out var l) && n.IsInteger && !n.Literal.Contains('.', StringComparison.Ordinal) && !n.Literal.Contains('e', StringComparison.OrdinalIgnoreCase)
            ? Nodes.JsonValue.Create(l)
            : Nodes.JsonValue.Create(decimal.TryParse(n.Literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : (decimal)n.Value),
        JsonBoolean b => Nodes.JsonValue.Create(b.Value),
        _ => null,
    };
}
