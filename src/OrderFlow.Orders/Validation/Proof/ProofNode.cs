using OrderFlow.Json;

namespace OrderFlow.Orders.Validation.Proof;

/// <summary>One keyword of a compiled schema, checked against one instance.</summary>
internal abstract class ProofCheck
{
    public abstract Verdict Check(JsonValue instance, int depth);
}

/// <summary>
/// A compiled (sub)schema: the conjunction of its keywords' checks (JSON Schema 2020-12 §7.6: a schema's assertions all
/// apply). A schema with a keyword the compiler does not know proves nothing: it is always <see cref="Verdict.Unknown"/>.
/// https://json-schema.org/draft/2020-12/json-schema-core#section-7.6
/// </summary>
internal sealed class ProofNode : ProofCheck
{
    // Deeper than any order; a schema that refers to itself without descending into the instance stops here.
    private const int MaxDepth = 64;

    private ProofCheck[] _checks = [];
    private bool _opaque;

    public static ProofNode Constant(bool valid) => new() { _checks = [new ConstantCheck(valid)] };

    public void Define(IEnumerable<ProofCheck> checks) => _checks = [.. checks];

    /// <summary>Marks the schema as one the compiler cannot reason about.</summary>
    public void MakeOpaque() => _opaque = true;

    public override Verdict Check(JsonValue instance, int depth)
    {
        if (_opaque || depth > MaxDepth)
        {
            return Verdict.Unknown;
        }
        var verdict = Verdict.Valid;
        foreach (var check in _checks)
        {
            var result = check.Check(instance, depth + 1);
            if (result == Verdict.Invalid)
            {
                return Verdict.Invalid;
            }
            verdict = Verdicts.And(verdict, result);
        }
        return verdict;
    }

    private sealed class ConstantCheck(bool valid) : ProofCheck
    {
        public override Verdict Check(JsonValue instance, int depth) => Verdicts.From(valid);
    }
}
