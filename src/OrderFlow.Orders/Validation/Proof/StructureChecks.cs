using System.Collections.Frozen;
using OrderFlow.Json;

namespace OrderFlow.Orders.Validation.Proof;

/// <summary><c>type</c> (https://json-schema.org/draft/2020-12/json-schema-validation#section-6.1.1).</summary>
internal sealed class TypeCheck(string[] types) : ProofCheck
{
    // The type names decided once, when the schema is compiled, not compared as strings for every instance.
    private readonly SchemaType[] _types = [.. types.Select(Parse)];

    private enum SchemaType
    {
        Object,
        Array,
        String,
        Boolean,
        Null,
        Number,
        Integer,
        Unknown,
    }

    private static SchemaType Parse(string type) => type switch
    {
        "object" => SchemaType.Object,
        "array" => SchemaType.Array,
        "string" => SchemaType.String,
        "boolean" => SchemaType.Boolean,
        "null" => SchemaType.Null,
        "number" => SchemaType.Number,
        "integer" => SchemaType.Integer,
        _ => SchemaType.Unknown,
    };

    public override Verdict Check(JsonValue instance, int depth)
    {
        var verdict = Verdict.Invalid;
        foreach (var type in _types)
        {
            var matches = Matches(type, instance);
            if (matches == Verdict.Valid)
            {
                return Verdict.Valid;
            }
            if (matches == Verdict.Unknown)
            {
                verdict = Verdict.Unknown;
            }
        }
        return verdict;
    }

    // "integer" is any number with a zero fractional part (§6.1.1), so 1.0 is one; only a literal with no fraction and
    // no exponent is certainly one without arbitrary precision arithmetic. A short literal (at most 15 digits, exact in
    // double and decimal alike) with a non-zero digit after its point, and no exponent, is certainly not one.
    private static Verdict Matches(SchemaType type, JsonValue instance) => type switch
    {
        SchemaType.Integer when instance is JsonNumber n && IsShortFraction(n.Literal) => Verdict.Invalid,
        SchemaType.Object => Verdicts.From(instance is JsonObject),
        SchemaType.Array => Verdicts.From(instance is JsonArray),
        SchemaType.String => Verdicts.From(instance is JsonString),
        SchemaType.Boolean => Verdicts.From(instance.Kind == JsonKind.Boolean),
        SchemaType.Null => Verdicts.From(instance is JsonNull),
        SchemaType.Number => Verdicts.From(instance is JsonNumber),
        SchemaType.Integer when instance is JsonNumber n => n.Literal.AsSpan().IndexOfAny('.', 'e', 'E') < 0 ? Verdict.Valid : Verdict.Unknown,
        SchemaType.Integer => Verdict.Invalid,
        _ => Verdict.Unknown,
    };

    private static bool IsShortFraction(string literal)
    {
        var point = literal.IndexOf('.');
        return point >= 0 && literal.Length <= 16 && literal.AsSpan().IndexOfAny('e', 'E') < 0 && literal.AsSpan(point + 1).IndexOfAnyExcept('0') >= 0;
    }
}

/// <summary><c>required</c> (§6.5.3).</summary>
// The names are interned when the schema is compiled, as parsed member names are: ContainsKey finds them by reference.
internal sealed class RequiredCheck(string[] names) : ProofCheck
{
    public override Verdict Check(JsonValue instance, int depth)
    {
        if (instance is not JsonObject o)
        {
            return Verdict.Valid;
        }
        foreach (var name in names)
        {
            if (!o.ContainsKey(name))
            {
                return Verdict.Invalid;
            }
        }
        return Verdict.Valid;
    }

    public override void Explain(JsonValue instance, string location, FailureKey key, int depth) =>
        key.Missing(location, this, names.Where(n => !((JsonObject)instance).ContainsKey(n)));
}

/// <summary><c>properties</c> (core §10.3.2.1): each member present is checked against its subschema.</summary>
// A frozen dictionary: the names of a schema's properties are looked up for every member of every order.
internal sealed class PropertiesCheck(FrozenDictionary<string, ProofNode> properties) : ProofCheck
{
    public override Verdict Check(JsonValue instance, int depth)
    {
        if (instance is not JsonObject o)
        {
            return Verdict.Valid;
        }
        var verdict = Verdict.Valid;
        for (var i = 0; i < o.Count && verdict != Verdict.Invalid; i++)
        {
            if (properties.TryGetValue(o.NameAt(i), out var schema))
            {
                verdict = Verdicts.And(verdict, schema.Check(o.ValueAt(i), depth));
            }
        }
        return verdict;
    }

    /// <summary>
    /// Why a member (<paramref name="name"/>) or element (<paramref name="index"/>) of the instance at
    /// <paramref name="parent"/> fails its schema, if it does; one the proof is unsure of spoils the key. The part's
    /// location is made only for a part that fails.
    /// </summary>
    internal static void ExplainPart(ProofNode schema, JsonValue part, string parent, string? name, int index, FailureKey key, int depth)
    {
        switch (schema.Check(part, depth))
        {
            case Verdict.Invalid:
                schema.Explain(part, FailureKey.Child(parent, name ?? index.ToString(System.Globalization.CultureInfo.InvariantCulture)), key, depth);
                break;
            case Verdict.Unknown:
                key.GiveUp();
                break;
        }
    }

    public override bool ExplainsItsParts => true;

    /// <summary>Every failing member, in the instance's order (nothing for an instance that is not an object).</summary>
    public override void Explain(JsonValue instance, string location, FailureKey key, int depth)
    {
        if (instance is not JsonObject o)
        {
            return;
        }
        for (var i = 0; i < o.Count && key.Usable; i++)
        {
            if (properties.TryGetValue(o.NameAt(i), out var schema))
            {
                ExplainPart(schema, o.ValueAt(i), location, o.NameAt(i), i, key, depth);
            }
        }
    }
}

/// <summary><c>items</c> in its 2020-12 form, one schema for every element (core §10.3.1.2).</summary>
internal sealed class ItemsCheck(ProofNode schema) : ProofCheck
{
    public override Verdict Check(JsonValue instance, int depth)
    {
        if (instance is not JsonArray a)
        {
            return Verdict.Valid;
        }
        var verdict = Verdict.Valid;
        foreach (var item in a)
        {
            verdict = Verdicts.And(verdict, schema.Check(item, depth));
            if (verdict == Verdict.Invalid)
            {
                break;
            }
        }
        return verdict;
    }

    public override bool ExplainsItsParts => true;

    /// <summary>Every failing element (nothing for an instance that is not an array).</summary>
    public override void Explain(JsonValue instance, string location, FailureKey key, int depth)
    {
        if (instance is not JsonArray a)
        {
            return;
        }
        for (var i = 0; i < a.Count && key.Usable; i++)
        {
            PropertiesCheck.ExplainPart(schema, a[i], location, null, i, key, depth);
        }
    }
}

/// <summary><c>minItems</c> and <c>maxItems</c> (§6.4.1, §6.4.2).</summary>
internal sealed class ItemCountCheck(long minimum, long maximum) : ProofCheck
{
    public override Verdict Check(JsonValue instance, int depth) =>
        instance is JsonArray a ? Verdicts.From(a.Count >= minimum && a.Count <= maximum) : Verdict.Valid;
}

/// <summary>
/// <c>enum</c> and <c>const</c> (§6.1.2, §6.1.3). Strings, booleans and null compare exactly; a number, object or array
/// is certain only when no allowed value is of its kind.
/// </summary>
internal sealed class EnumCheck(JsonValue[] allowed) : ProofCheck
{
    public override Verdict Check(JsonValue instance, int depth)
    {
        if (instance.Kind is JsonKind.String or JsonKind.Null or JsonKind.Boolean)
        {
            foreach (var value in allowed)
            {
                if (value.Equals(instance))
                {
                    return Verdict.Valid;
                }
            }
            return Verdict.Invalid;
        }
        foreach (var value in allowed)
        {
            if (value.Kind == instance.Kind)
            {
                return Verdict.Unknown;
            }
        }
        return Verdict.Invalid;
    }
}
