using OrderFlow.Json;

namespace OrderFlow.Orders.Validation.Proof;

/// <summary>One keyword of a compiled schema, checked against one instance.</summary>
internal abstract class ProofCheck
{
    private static int _lastId;

    /// <summary>Tells this check from every other one of the process, in a <see cref="FailureKey"/>.</summary>
    public int Id { get; } = Interlocked.Increment(ref _lastId);

    public abstract Verdict Check(JsonValue instance, int depth);

    /// <summary>
    /// Adds to <paramref name="key"/> why the instance at <paramref name="location"/> fails this check; called only
    /// when <see cref="Check"/> said <see cref="Verdict.Invalid"/>, except for a check that <see cref="ExplainsItsParts"/>
    /// (called whatever its verdict). A check without parts reports itself.
    /// </summary>
    public virtual void Explain(JsonValue instance, string location, FailureKey key, int depth) => key.Leaf(location, this, instance);

    /// <summary>
    /// True for a check whose <see cref="Explain"/> checks every part itself (giving up on one it is unsure of) and adds
    /// nothing when all pass: its schema explains it without checking it first, which would walk its parts twice.
    /// </summary>
    public virtual bool ExplainsItsParts => false;
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

    /// <summary>Where the schema is in its document, as a JSON pointer (<c>/$defs/price</c>; empty for the root).</summary>
    public string Pointer { get; init; } = string.Empty;

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

    /// <summary>
    /// Every failing keyword of this schema, not only the first. A <c>oneOf</c> or <c>not</c> that holds while the schema
    /// fails still has failing parts JsonSchema.Net reports; the proof does not follow them, so it gives up.
    /// </summary>
    public override void Explain(JsonValue instance, string location, FailureKey key, int depth)
    {
        if (_opaque || depth > MaxDepth)
        {
            key.GiveUp();
            return;
        }
        if (key.WordsWhole(Pointer))
        {
            key.Whole(location, this);
            return;
        }
        foreach (var check in _checks)
        {
            if (check.ExplainsItsParts)
            {
                check.Explain(instance, location, key, depth + 1);
                if (!key.Usable)
                {
                    return;
                }
                continue;
            }
            switch (check.Check(instance, depth + 1))
            {
                case Verdict.Invalid:
                    check.Explain(instance, location, key, depth + 1);
                    break;
                case Verdict.Unknown:
                    key.GiveUp();
                    return;
                case Verdict.Valid when check is OneOfCheck or NotCheck:
                    key.GiveUp();
                    return;
            }
        }
    }

    private sealed class ConstantCheck(bool valid) : ProofCheck
    {
        public override Verdict Check(JsonValue instance, int depth) => Verdicts.From(valid);
    }
}
