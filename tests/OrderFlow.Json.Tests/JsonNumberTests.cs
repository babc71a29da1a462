using System.Globalization;
using System.Text;

namespace OrderFlow.Json.Tests;

public class JsonNumberTests
{
    private static string RoundTrip(string literal) => double.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);

    [Theory]
    [InlineData(0L)]
    [InlineData(7L)]
    [InlineData(-42L)]
    [InlineData(9L)]
    [InlineData(10L)]
    [InlineData(-10L)]
    [InlineData(999_999L)]
    [InlineData(1_000_000L)]
    [InlineData(9_007_199_254_740_991L)]
    [InlineData(-9_007_199_254_740_991L)]
    [InlineData(9_007_199_254_740_993L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void FromInt64_AnyValue_SizedAndReadBackBeforeItsTextIsWrittenAsItsText(long value)
    {
        var text = value.ToString(CultureInfo.InvariantCulture);
        var number = JsonNumber.FromInt64(value);
        // Size and value first: below 2^53 the text is written out only when asked for.
        Assert.Equal(text.Length, number.Utf8Size);
        Assert.True(number.TryGetInt64(out var back));
        Assert.Equal(value, back);
        Assert.Equal(text, number.Literal);
        Assert.Equal(text, number.ToJsonString());
        Assert.Equal(JsonValue.Parse(text), number);
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("7", true)]
    [InlineData("-12", true)]
    [InlineData("19.99", true)]
    [InlineData("0.5", true)]
    [InlineData("0.0001", true)]
    [InlineData("-0.0001", true)]
    [InlineData("123456789012345", true)]
    [InlineData("12345678.9012345", true)]
    [InlineData("0.123456789012345", true)]
    [InlineData("-0", false)]
    [InlineData("0.00001", false)]
    [InlineData("1234567890123456", false)]
    [InlineData("0.1234567890123456", false)]
    [InlineData("1.50", false)]
    [InlineData("01", false)]
    [InlineData("1.", false)]
    [InlineData("1e2", false)]
    [InlineData("1E+15", false)]
    [InlineData("-", false)]
    [InlineData("", false)]
    public void IsShortestRoundTrip_Literal_TrueOnlyWhenTheRoundTripFormIsTheLiteral(string literal, bool expected)
    {
        Assert.Equal(expected, JsonNumber.IsShortestRoundTrip(literal));
        if (expected)
        {
            Assert.Equal(literal, RoundTrip(literal));
        }
    }

    [Fact]
    public void IsShortestRoundTrip_RandomLiterals_NeverClaimsAFormTheDoubleDoesNotWrite()
    {
        // Signs, leading and trailing zeros, 0-18 integer and fraction digits: every literal taken as its own round-trip
        // form must be exactly what double.ToString("R") writes (canonical text, and so content hashes, depend on it).
        var random = new Random(11);
        var claimed = 0;
        for (var n = 0; n < 200_000; n++)
        {
            var text = new StringBuilder();
            if (random.Next(4) == 0)
            {
                text.Append('-');
            }
            text.Append(random.Next(3) == 0 ? "0" : Digits(random, random.Next(1, 19)));
            if (random.Next(2) == 0)
            {
                text.Append('.').Append(new string('0', random.Next(0, 6))).Append(Digits(random, random.Next(0, 19)));
            }
            var literal = text.ToString();
            if (JsonNumber.IsShortestRoundTrip(literal))
            {
                claimed++;
                Assert.Equal(RoundTrip(literal), literal);
            }
        }
        Assert.True(claimed > 20_000, $"only {claimed} literals took the short path");
    }

    [Fact]
    public void Value_ParsedNumber_ReadFromTheLiteral()
    {
        var numbers = (JsonArray)JsonValue.Parse("[12.50, -3, 1e2, 0.1]");

        Assert.Equal([12.5, -3, 100, 0.1], numbers.Select(n => ((JsonNumber)n).Value));
        Assert.Equal("12.50", ((JsonNumber)numbers[0]).Literal);
    }

    private static string Digits(Random random, int count) => string.Concat(Enumerable.Range(0, count).Select(_ => (char)('0' + random.Next(10))));
}
