using System.Globalization;
using OrderFlow.Json;
using OrderFlow.Orders.Validation.Proof;

namespace OrderFlow.Orders.Tests;

/// <summary>The range keywords' verdicts are those of the number read as a decimal, whatever shortcut decides them.</summary>
public class RangeCheckTests
{
    private static readonly string[] Literals =
    [
        "0", "-0", "0.0", "-0.000", "0.0001", "-0.0001", "1", "-1", "2", "0.5", "1.0", "1.00001", "0.99999", "46.27",
        "-46.27", "123456789012345678", "-123456789012345678", "1234567890123456789", "0e5", "1e-400", "-1e-400", "1e2",
        "1E+2", "0.0000000000000000000000000000001", "-0.0000000000000000000000000000001", "99999999999999999999999",
        "100", "99", "101", "-100",
    ];

    public static TheoryData<string> Limits => ["0", "1", "-1", "100", "0.5", "-2.25"];

    [Theory]
    [MemberData(nameof(Limits))]
    public void Check_EveryKindOfLiteral_SameVerdictAsReadingADecimal(string limitText)
    {
        var limit = decimal.Parse(limitText, CultureInfo.InvariantCulture);
        (RangeCheck Check, int AllowedSigns)[] checks =
        [
            (RangeCheck.Minimum(limit), 0b110), (RangeCheck.ExclusiveMinimum(limit), 0b100),
            (RangeCheck.Maximum(limit), 0b011), (RangeCheck.ExclusiveMaximum(limit), 0b001),
        ];
        foreach (var literal in Literals)
        {
            var number = (JsonNumber)JsonValue.Parse(literal);
            var expected = decimal.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                ? (Verdict?)null
                : Verdict.Unknown;
            foreach (var (check, allowed) in checks)
            {
                var verdict = expected ?? ((allowed & (1 << (value.CompareTo(limit) + 1))) != 0 ? Verdict.Valid : Verdict.Invalid);
                Assert.True(verdict == check.Check(number, 0), $"{literal} against {limitText} ({allowed:b3})");
            }
        }
    }
}
