using System.Collections.Frozen;
using System.Globalization;
using Json.Schema;
using OrderFlow.Json;

namespace OrderFlow.Orders.Validation.Proof;

/// <summary>
/// A fast, sound shortcut in front of JsonSchema.Net, compiled once from the same schema document. It answers
/// <see cref="Verdict.Valid"/> only for an instance JSON Schema 2020-12 (and JsonSchema.Net) certainly accepts, so a
/// valid order needs no JsonSchema.Net evaluation; every other order, and every message, still comes from JsonSchema.Net.
/// It knows the keywords of <c>definitions/order.schema.json</c>; a subschema with any other keyword is opaque (always
/// <see cref="Verdict.Unknown"/>), so a schema edited beyond them stays correct and only gets slower.
/// </summary>
internal sealed class SchemaProof
{
    private const string Draft202012 = "https://json-schema.org/draft/2020-12/schema";

    // Keywords that assert nothing (core §8, meta-data vocabulary §9 of the validation spec).
    private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal)
    {
        "$schema", "$comment", "$defs", "title", "description", "default", "examples", "deprecated", "readOnly", "writeOnly",
    };

    private readonly JsonObject _root;
    private readonly string? _rootId;
    private readonly Dictionary<string, ProofNode> _byPointer = new(StringComparer.Ordinal);
    private readonly ProofNode _start;

    private SchemaProof(JsonObject root)
    {
        _root = root;
        _rootId = (root["$id"] as JsonString)?.Value;
        _start = Compile(root, "", isRoot: true);
    }

    /// <summary>Compiles a schema document; one the proof cannot use at all proves nothing (every verdict unknown).</summary>
    public static SchemaProof Compile(string schemaJson) =>
        new(JsonValue.Parse(schemaJson) is JsonObject root ? root : new JsonObjectBuilder(1).Set("$comment", "not an object schema").Build());

    public Verdict Check(JsonValue instance) => _start.Check(instance, 0);

    /// <summary>
    /// The <see cref="FailureKey"/> of an instance <see cref="Check"/> found invalid; null when the proof cannot pin its
    /// failures down. <paramref name="wordsWhole"/> names the schemas (by pointer) whose failure is worded as a whole,
    /// whatever failed inside them.
    /// </summary>
    public string? FailureKeyOf(JsonValue instance, Func<string, bool>? wordsWhole = null)
    {
        var key = new FailureKey(wordsWhole);
        _start.Explain(instance, "", key, 0);
        return key.Usable ? key.ToString() : null;
    }

    private ProofNode Compile(JsonValue schema, string pointer, bool isRoot = false)
    {
        if (_byPointer.TryGetValue(pointer, out var known))
        {
            return known;
        }
        var node = schema switch
        {
            JsonBoolean b => ProofNode.Constant(b.Equals(JsonValue.True)),
            _ => new ProofNode { Pointer = pointer },
        };
        _byPointer[pointer] = node; // before the members: a $ref back to this schema finds it
        if (schema is not JsonObject o)
        {
            if (schema is not JsonBoolean)
            {
                node.MakeOpaque();
            }
            return node;
        }
        var checks = new List<ProofCheck>();
        foreach (var (name, value) in o.Members)
        {
            if (Annotations.Contains(name) || (isRoot && name == "$id"))
            {
                if (name == "$schema" && value is JsonString { Value: not Draft202012 })
                {
                    node.MakeOpaque();
                }
                continue;
            }
            if (name is "maxLength" or "maxItems" && o.ContainsKey(name.Replace("max", "min", StringComparison.Ordinal)))
            {
                continue; // compiled with its minimum
            }
            var check = Keyword(o, name, value, $"{pointer}/{Escape(name)}");
            if (check is null)
            {
                node.MakeOpaque();
                return node;
            }
            checks.Add(check);
        }
        node.Define(checks);
        return node;
    }

    private ProofCheck? Keyword(JsonObject schema, string name, JsonValue value, string pointer) => (name, value) switch
    {
        ("type", JsonString t) => new TypeCheck([t.Value]),
        ("type", JsonArray ts) when ts.All(t => t is JsonString) => new TypeCheck([.. ts.Cast<JsonString>().Select(t => t.Value)]),
        ("required", JsonArray names) when names.All(n => n is JsonString) => new RequiredCheck([.. names.Cast<JsonString>().Select(n => string.Intern(n.Value))]),
        ("properties", JsonObject properties) => new PropertiesCheck(properties.Members.ToFrozenDictionary(
            p => p.Key, p => Compile(p.Value, $"{pointer}/{Escape(p.Key)}"), StringComparer.Ordinal)),
        ("items", JsonObject or JsonBoolean) when !schema.ContainsKey("prefixItems") => new ItemsCheck(Compile(value, pointer)),
        ("minItems" or "maxItems", JsonNumber) => Bounds(schema, "minItems", "maxItems") is var (min, max) ? new ItemCountCheck(min, max) : null,
        ("minLength" or "maxLength", JsonNumber) => Bounds(schema, "minLength", "maxLength") is var (min, max) ? new LengthCheck(min, max) : null,
        ("pattern", JsonString p) => PatternCheck.TryCreate(p.Value),
        ("format", JsonString f) when FormatCheck.Known.Contains(f.Value) => new FormatCheck(FormatRegistry.Global.Get(f.Value)),
        ("enum", JsonArray allowed) => new EnumCheck([.. allowed]),
        ("const", _) => new EnumCheck([value]),
        ("minimum", JsonNumber n) when Decimal(n) is { } limit => RangeCheck.Minimum(limit),
        ("maximum", JsonNumber n) when Decimal(n) is { } limit => RangeCheck.Maximum(limit),
        ("exclusiveMinimum", JsonNumber n) when Decimal(n) is { } limit => RangeCheck.ExclusiveMinimum(limit),
        ("exclusiveMaximum", JsonNumber n) when Decimal(n) is { } limit => RangeCheck.ExclusiveMaximum(limit),
        ("allOf", JsonArray schemas) when schemas.Count > 0 => new AllOfCheck(Subschemas(schemas, pointer)),
        ("anyOf", JsonArray schemas) when schemas.Count > 0 => new AnyOfCheck(Subschemas(schemas, pointer)),
        ("oneOf", JsonArray schemas) when schemas.Count > 0 => new OneOfCheck(Subschemas(schemas, pointer)),
        ("not", _) => new NotCheck(Compile(value, pointer)),
        ("$ref", JsonString reference) => Reference(reference.Value),
        _ => null,
    };

    private ProofNode[] Subschemas(JsonArray schemas, string pointer) =>
        [.. schemas.Select((s, i) => Compile(s, $"{pointer}/{i.ToString(CultureInfo.InvariantCulture)}"))];

    private static (long Min, long Max)? Bounds(JsonObject schema, string minName, string maxName)
    {
        long min = 0, max = long.MaxValue;
        if (schema[minName] is { } lower && !(lower is JsonNumber n && n.TryGetInt64(out min)))
        {
            return null;
        }
        if (schema[maxName] is { } upper && !(upper is JsonNumber m && m.TryGetInt64(out max)))
        {
            return null;
        }
        return (min, max);
    }

    private static decimal? Decimal(JsonNumber n) =>
        decimal.TryParse(n.Literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    /// <summary>A <c>$ref</c> to this document (<c>#…</c>, or the root's <c>$id</c> followed by <c>#…</c>) as a JSON pointer.</summary>
    private ProofCheck? Reference(string reference)
    {
        var fragment = reference.StartsWith('#') ? reference[1..]
            : _rootId is not null && reference.StartsWith(_rootId + "#", StringComparison.Ordinal) ? reference[(_rootId.Length + 1)..]
            : null;
        if (fragment is null || (fragment.Length > 0 && fragment[0] != '/'))
        {
            return null; // another document, or an $anchor
        }
        JsonValue target = _root;
        foreach (var part in fragment.Split('/').Skip(1))
        {
            var token = Uri.UnescapeDataString(part).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            target = target switch
            {
                JsonObject o when o[token] is { } member => member,
                JsonArray a when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
                _ => JsonValue.Null,
            };
        }
        return target is JsonObject or JsonBoolean ? Compile(target, fragment) : null;
    }

    private static string Escape(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
