using System.Text.RegularExpressions;
using OrderFlow.Orders.Validation.Proof;

namespace OrderFlow.Orders.Tests;

/// <summary>A simple pattern matches printable ASCII exactly as both regex dialects do; any other pattern is refused.</summary>
public class SimplePatternTests
{
    // The order schema's own simple patterns first, then every construct the class reads.
    public static TheoryData<string> Simple =>
    [
        @"\S", "^[A-Z]{3}$", "^[A-Z]{2}$", "^[1-9][0-9]{0,8}$", @"^\+?[0-9 ()./-]{5,32}$",
        "abc", "^a", "c$", "^$", "", "a*", "^a+b?c{2}d{1,}e{0,3}$", "a*?b+?c??d{1,2}?", @"^\d+\.\d{2}$", @"\D\W\w\s",
        "[^a-c]", "[-a]", "[a-]", @"[\]]", @"[\d.x]", @"^[\w-]+@[\w-]+\.[a-z]{2,6}$", "^.{3}$", "a.c", @"\(\)\[\]\{\}\|\*\+\?\^\$\\\/",
        "x{3}y", "^[A-Za-z][a-z0-9_]{2,15}$", "[a-a]", "^ +$", "[ ]", @"^[^\s]+$", "^[!-/]{2,}$", "ab{0}c", "^a{60,64}b?$", "^7{63}$", "^7{64}$",
    ];

    public static TheoryData<string> NotSimple =>
    [
        "(a)", "a|b", "^(0|[1-9][0-9]{0,12})(\\.[0-9]{1,4})?$", @"\1", @"\b", @"\n", @"\x41", @"\u0041", "[]", "[^]", "[a-z-[aeiou]]",
        "[[:alpha:]]", "a**", "a{2}{3}", "*a", "+", "?", "{2}", "a{x}", "a{3,1}", "a{1000000}", "[z-a]", "[a-c-e]", "a$b", "a^",
        "[abc", @"\", "é", "a\tb", @"[a-\d]", "}",
    ];

    [Theory]
    [MemberData(nameof(Simple))]
    public void IsMatch_PrintableAscii_SameAsBothRegexDialects(string pattern)
    {
        var simple = SimplePattern.TryParse(pattern);
        Assert.NotNull(simple);
        var ecmaScript = new Regex(pattern, RegexOptions.ECMAScript);
        var dotnet = new Regex(pattern, RegexOptions.CultureInvariant);
        foreach (var text in Texts(pattern))
        {
            var expected = ecmaScript.IsMatch(text);
            Assert.Equal(expected, dotnet.IsMatch(text));
            Assert.True(expected == simple.IsMatch(text), $"/{pattern}/ on \"{text}\": the regex says {expected}");
        }
    }

    [Theory]
    [MemberData(nameof(NotSimple))]
    public void TryParse_OtherConstructs_Null(string pattern) => Assert.Null(SimplePattern.TryParse(pattern));

    [Fact]
    public void IsMatch_LongText_LinearInItsLength()
    {
        // An unanchored star over half a million characters: every start position is kept, none is backtracked.
        var simple = SimplePattern.TryParse("a*b")!;
        var text = new string('a', 500_000);
        Assert.False(simple.IsMatch(text));
        Assert.True(simple.IsMatch(text + "b"));
        Assert.True(SimplePattern.TryParse(@"\S")!.IsMatch(new string(' ', 100_000) + "x"));
    }

    // Random printable text of a few lengths, biased toward the characters the pattern names so that matches occur,
    // plus the edge cases: empty, spaces only, one character.
    private static IEnumerable<string> Texts(string pattern)
    {
        var random = new Random(pattern.GetHashCode(StringComparison.Ordinal) ^ 20261203);
        var favoured = pattern.Where(c => c is >= ' ' and <= '~').Concat("aAzZ09_ -.+()/").Distinct().ToArray();
        yield return string.Empty;
        yield return " ";
        yield return "   ";
        for (var i = 0; i < 3000; i++)
        {
            // Short texts (one machine word of positions) and, now and then, texts of 60 to 140 characters.
            var length = i % 25 == 0 ? random.Next(60, 140) : random.Next(0, i % 10 == 0 ? 40 : 8);
            var chars = new char[length];
            for (var j = 0; j < length; j++)
            {
                chars[j] = random.Next(4) == 0 ? (char)random.Next(' ', '~' + 1) : favoured[random.Next(favoured.Length)];
            }
            yield return new string(chars);
        }
        yield return new string('a', 62) + "b";
        yield return new string('a', 63) + "b";
        yield return new string('7', 63);
        yield return new string('7', 64);
        foreach (var sample in (string[])["USD", "usd", "US", "AUD1", "1", "0", "123456789", "1234567890", "+44 20 7946 0958", "(555) 010-9999", "12.50", "ab_c@x-y.com", "a.c", "abc", "aab", "xxxy"])
        {
            yield return sample;
        }
    }
}
