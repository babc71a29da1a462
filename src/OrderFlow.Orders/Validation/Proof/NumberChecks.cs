using System.Globalization;
using OrderFlow.Json;

namespace OrderFlow.Orders.Validation.Proof;

/// <summary>
/// <c>minimum</c>, <c>maximum</c>, <c>exclusiveMinimum</c>, <c>exclusiveMaximum</c> (§6.2.2–6.2.5), compared as
/// decimals read from the number's literal; a literal beyond decimal's range is never certain.
/// </summary>
internal sealed class RangeCheck(decimal limit, int allowedSigns) : ProofCheck
{
    /// <summary>Allowed results of comparing the instance with the limit: bit 0 below, bit 1 equal, bit 2 above.</summary>
    public static RangeCheck Minimum(decimal limit) => new(limit, 0b110);

    public static RangeCheck ExclusiveMinimum(decimal limit) => new(limit, 0b100);

    public static RangeCheck Maximum(decimal limit) => new(limit, 0b011);

    public static RangeCheck ExclusiveMaximum(decimal limit) => new(limit, 0b001);

    public override Verdict Check(JsonValue instance, int depth)
    {
        if (instance is not JsonNumber number)
        {
            return Verdict.Valid;
        }
        if (!decimal.TryParse(number.Literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return Verdict.Unknown;
        }
        var bit = 1 << (value.CompareTo(limit) + 1);
        return Verdicts.From((allowedSigns & bit) != 0);
    }
}
