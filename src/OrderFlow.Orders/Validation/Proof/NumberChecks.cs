using System.Globalization;
using OrderFlow.Json;

namespace OrderFlow.Orders.Validation.Proof;

/// <summary>
/// <c>minimum</c>, <c>maximum</c>, <c>exclusiveMinimum</c>, <c>exclusiveMaximum</c> (§6.2.2–6.2.5), compared as
/// decimals read from the number's literal; a literal beyond decimal's range is never certain.
/// </summary>
internal sealed class RangeCheck(decimal limit, int allowedSigns) : ProofCheck
{
    private readonly bool _integerLimit = decimal.Truncate(limit) == limit;

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
        int comparison;
        if (TryCompareFast(number.Literal, out var fast))
        {
            comparison = fast;
        }
        else if (decimal.TryParse(number.Literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            comparison = value.CompareTo(limit);
        }
        else
        {
            return Verdict.Unknown;
        }
        var bit = 1 << (Math.Sign(comparison) + 1);
        return Verdicts.From((allowedSigns & bit) != 0);
    }

    // The two comparisons an order's numbers meet, without reading a decimal, for literals a decimal holds exactly (at
    // most 18 characters, no exponent), so the answer is the decimal's: with 0 (a price's minimum), told by the sign and
    // whether any digit is not 0; and an integer (a quantity) with an integer limit. Anything else is read as a decimal.
    private bool TryCompareFast(string literal, out int comparison)
    {
        comparison = 0;
        if (literal.Length > 18 || literal.AsSpan().IndexOfAny('e', 'E') >= 0)
        {
            return false;
        }
        if (limit == decimal.Zero)
        {
            var negative = literal.StartsWith('-');
            var zero = !literal.AsSpan(negative ? 1 : 0).ContainsAnyExcept('0', '.');
            comparison = zero ? 0 : negative ? -1 : 1;
            return true;
        }
        if (_integerLimit && long.TryParse(literal, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            comparison = ((decimal)integer).CompareTo(limit);
            return true;
        }
        return false;
    }
}
