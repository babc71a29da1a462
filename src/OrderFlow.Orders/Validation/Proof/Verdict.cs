namespace OrderFlow.Orders.Validation.Proof;

/// <summary>
/// What the compiled schema can say about an instance. <see cref="Valid"/> and <see cref="Invalid"/> are claimed only
/// when JSON Schema (and JsonSchema.Net, which counts lengths in text elements and runs patterns as ECMAScript) could
/// not disagree; anything else is <see cref="Unknown"/>, and JsonSchema.Net decides.
/// </summary>
internal enum Verdict
{
    Valid,
    Invalid,
    Unknown,
}

internal static class Verdicts
{
    /// <summary>Every check must hold: one certain failure fails; otherwise one unknown leaves it unknown.</summary>
    public static Verdict And(Verdict left, Verdict right) =>
        left == Verdict.Invalid || right == Verdict.Invalid ? Verdict.Invalid
        : left == Verdict.Unknown || right == Verdict.Unknown ? Verdict.Unknown
        : Verdict.Valid;

    public static Verdict From(bool holds) => holds ? Verdict.Valid : Verdict.Invalid;
}
