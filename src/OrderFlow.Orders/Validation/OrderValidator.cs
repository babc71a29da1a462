using System.Collections.Concurrent;
using System.Reflection;

using Json.Schema;
using OrderFlow.Json;
using OrderFlow.Orders.Validation.Proof;

namespace OrderFlow.Orders.Validation;

/// <summary>
/// Validates one order against <c>definitions/order.schema.json</c> (JSON Schema 2020-12, evaluated with
/// JsonSchema.Net) and the business rules a schema cannot say (ISO 4217 currencies, ISO 3166-1 countries). Every
/// violation is reported at once, each with its path and a message a person can act on.
/// </summary>
public sealed class OrderValidator
{
    private static readonly Lazy<string> EmbeddedSchemaText = new(() =>
    {
        using var stream = typeof(OrderValidator).Assembly.GetManifestResourceStream("order.schema.json")
            ?? throw new InvalidOperationException("order.schema.json is not embedded in OrderFlow.Orders");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    private static readonly Lazy<(JsonSchema Schema, SchemaProof Proof)> EmbeddedSchema = new(() => Load(EmbeddedSchemaText.Value));

    // Most orders are valid: a pass/fail evaluation first, the detailed one only for an order that fails.
    private static readonly EvaluationOptions Quick = new() { OutputFormat = OutputFormat.Flag, RequireFormatValidation = true };
    private static readonly EvaluationOptions Detailed = new() { OutputFormat = OutputFormat.Hierarchical, RequireFormatValidation = true };

    // Orders that fail the same way get the same words: a rejected order costs JsonSchema.Net's detailed evaluation
    // (≈ 70 µs, 47 KB) only the first time its way of failing is seen. Bounded: past the limit, new ways are not kept.
    private const int MaxRemembered = 10_000;

    private readonly JsonSchema _schema;
    private readonly SchemaProof _proof;
    private readonly ConcurrentDictionary<string, Violation[]> _wordings = new(StringComparer.Ordinal);

    /// <summary>A validator for the schema shipped in <c>definitions/order.schema.json</c>.</summary>
    public OrderValidator() => (_schema, _proof) = EmbeddedSchema.Value;

    /// <summary>A validator for another schema (its messages for unknown keywords are the library's).</summary>
    public OrderValidator(string schemaJson) => (_schema, _proof) = Load(schemaJson);

    /// <summary>
    /// Every violation of the order. An order the schema's compiled proof shows valid skips JsonSchema.Net (the proof is
    /// sound: it never accepts what JsonSchema.Net rejects). Every message is JsonSchema.Net's: an order the proof shows
    /// invalid, and whose failures it can name (its <see cref="FailureKey"/>), gets the words JsonSchema.Net gave the
    /// first order that failed the same way; any other order is evaluated by JsonSchema.Net itself.
    /// </summary>
    public IReadOnlyList<Violation> Validate(JsonValue order)
    {
        // No list for an order that breaks nothing (most of them): the empty result is shared.
        List<Violation>? violations = null;
        var verdict = _proof.Check(order);
        if (verdict == Verdict.Invalid && _proof.FailureKeyOf(order, SchemaMessages.WordsWhole) is { } key)
        {
            if (!_wordings.TryGetValue(key, out var worded))
            {
                worded = [.. Word(order, knownInvalid: true)];
                if (_wordings.Count < MaxRemembered)
                {
                    _wordings.TryAdd(key, worded);
                }
            }
            violations = [.. worded];
        }
        else if (verdict != Verdict.Valid)
        {
            violations = [.. Word(order, knownInvalid: verdict == Verdict.Invalid)];
        }
        BusinessRules.Check(order, ref violations);
        return violations ?? (IReadOnlyList<Violation>)[];
    }

    /// <summary>
    /// JsonSchema.Net's words for every violation of the order: none when its pass/fail evaluation passes it (skipped
    /// when the order is <paramref name="knownInvalid"/>), else those of its detailed evaluation.
    /// </summary>
    private IEnumerable<Violation> Word(JsonValue order, bool knownInvalid)
    {
        using var document = System.Text.Json.JsonDocument.Parse(Utf8(order));
        var element = document.RootElement;
        return knownInvalid || !_schema.Evaluate(element, Quick).IsValid ? SchemaMessages.From(_schema.Evaluate(element, Detailed)) : [];
    }

    /// <summary>The violations JsonSchema.Net alone finds, never from remembered words (for tests that hold the two equal).</summary>
    internal IReadOnlyList<Violation> ValidateWithoutMemory(JsonValue order)
    {
        List<Violation>? violations = [.. Word(order, knownInvalid: false)];
        BusinessRules.Check(order, ref violations);
        return violations!; // made above; Check only adds to it
    }

    /// <summary>How many ways of failing have their words remembered.</summary>
    internal int RememberedWordings => _wordings.Count;

    /// <summary>What the compiled proof alone says about an order (for tests that hold it to JsonSchema.Net).</summary>
    internal Verdict Prove(JsonValue order) => _proof.Check(order);

    /// <summary>JsonSchema.Net's pass/fail verdict alone.</summary>
    internal bool EvaluateWithJsonSchemaNet(JsonValue order)
    {
        using var document = System.Text.Json.JsonDocument.Parse(Utf8(order));
        return _schema.Evaluate(document.RootElement, Quick).IsValid;
    }

    private static (JsonSchema, SchemaProof) Load(string schemaJson) => (JsonSchema.FromText(schemaJson), SchemaProof.Compile(schemaJson));

    internal static Assembly Assembly => typeof(OrderValidator).Assembly;

    private static byte[] Utf8(JsonValue value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(Math.Max(256, value.Utf8Size));
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            value.WriteTo(writer);
        }
        return buffer.WrittenSpan.ToArray();
    }
}
