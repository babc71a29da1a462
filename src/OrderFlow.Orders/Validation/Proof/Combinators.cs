using OrderFlow.Json;

namespace OrderFlow.Orders.Validation.Proof;

/// <summary><c>allOf</c> (core §10.2.1.1).</summary>
internal sealed class AllOfCheck(ProofNode[] schemas) : ProofCheck
{
    public override Verdict Check(JsonValue instance, int depth)
    {
        var verdict = Verdict.Valid;
        foreach (var schema in schemas)
        {
            verdict = Verdicts.And(verdict, schema.Check(instance, depth));
            if (verdict == Verdict.Invalid)
            {
                break;
            }
        }
        return verdict;
    }

    public override void Explain(JsonValue instance, string location, FailureKey key, int depth) =>
        Branches.Explain(schemas, instance, location, this, key, depth);
}

/// <summary><c>anyOf</c> (core §10.2.1.2): one certain success suffices; failure needs every branch certainly failing.</summary>
internal sealed class AnyOfCheck(ProofNode[] schemas) : ProofCheck
{
    public override Verdict Check(JsonValue instance, int depth)
    {
        var verdict = Verdict.Invalid;
        foreach (var schema in schemas)
        {
            var result = schema.Check(instance, depth);
            if (result == Verdict.Valid)
            {
                return Verdict.Valid;
            }
            if (result == Verdict.Unknown)
            {
                verdict = Verdict.Unknown;
            }
        }
        return verdict;
    }

    public override void Explain(JsonValue instance, string location, FailureKey key, int depth) =>
        Branches.Explain(schemas, instance, location, this, key, depth);
}

/// <summary><c>oneOf</c> (core §10.2.1.3): exactly one branch valid, so every other branch must certainly fail.</summary>
internal sealed class OneOfCheck(ProofNode[] schemas) : ProofCheck
{
    public override Verdict Check(JsonValue instance, int depth)
    {
        int valid = 0, invalid = 0;
        foreach (var schema in schemas)
        {
            switch (schema.Check(instance, depth))
            {
                case Verdict.Valid:
                    valid++;
                    break;
                case Verdict.Invalid:
                    invalid++;
                    break;
            }
        }
        if (valid >= 2 || invalid == schemas.Length)
        {
            return Verdict.Invalid;
        }
        return valid == 1 && invalid == schemas.Length - 1 ? Verdict.Valid : Verdict.Unknown;
    }

    public override void Explain(JsonValue instance, string location, FailureKey key, int depth) =>
        Branches.Explain(schemas, instance, location, this, key, depth);
}

/// <summary><c>not</c> (core §10.2.1.4).</summary>
internal sealed class NotCheck(ProofNode schema) : ProofCheck
{
    public override Verdict Check(JsonValue instance, int depth) => schema.Check(instance, depth) switch
    {
        Verdict.Valid => Verdict.Invalid,
        Verdict.Invalid => Verdict.Valid,
        _ => Verdict.Unknown,
    };
}

internal static class Branches
{
    /// <summary>
    /// A failing combinator: every branch with its verdict, and why each failing branch fails (JsonSchema.Net reports the
    /// failing branches of a failing <c>allOf</c>, <c>anyOf</c> or <c>oneOf</c>).
    /// </summary>
    public static void Explain(ProofNode[] schemas, JsonValue instance, string location, ProofCheck combinator, FailureKey key, int depth)
    {
        for (var i = 0; i < schemas.Length && key.Usable; i++)
        {
            var verdict = schemas[i].Check(instance, depth);
            key.Branch(location, combinator, i, verdict);
            if (verdict == Verdict.Unknown)
            {
                key.GiveUp();
            }
            else if (verdict == Verdict.Invalid)
            {
                schemas[i].Explain(instance, location, key, depth);
            }
        }
    }
}
