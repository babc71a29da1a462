using System.Text.Json;
using Json.Schema;
using OrderFlow.Orders.Validation.Proof;

namespace OrderFlow.Orders.Tests;

/// <summary>
/// The format shortcuts say "valid" only where JsonSchema.Net does: checked on hand-picked edges and on tens of
/// thousands of random mutations of plain values (a character replaced, inserted or deleted), seeded, so a failure
/// reproduces.
/// </summary>
public class FormatShortcutsTests
{
    private static readonly string[] Plain =
    [
        "2026-11-25T10:00:00Z", "2025-12-20T19:32:11.123Z", "2024-02-29T23:59:59+01:00", "0001-01-01T00:00:00-12:30", "2026-11-25",
        "foobar@test.com", "efrain.heaney142@mail.example", "a.b+c_d-e@sub.example.co", "X@Y-Z.ab",
    ];

    private const string Alphabet = "0123456789-:TtZz.+_@ aZ\u00e9é\n[]\"'!#";

    [Theory]
    [InlineData("date-time", "2026-11-25T10:00:00Z", true)]
    [InlineData("date-time", "2026-11-25T10:00:00.123456789+05:30", true)]
    [InlineData("date-time", "2024-02-29T00:00:00Z", true)]
    [InlineData("date-time", "2026-02-29T00:00:00Z", false)]
    [InlineData("date-time", "2026-11-25T24:00:00Z", false)]
    [InlineData("date-time", "2026-11-25T10:00:60Z", false)]
    [InlineData("date-time", "2026-11-25t10:00:00z", false)]
    [InlineData("date-time", "2026-11-25 10:00:00Z", false)]
    [InlineData("date-time", "2026-11-25T10:00:00", false)]
    [InlineData("date-time", "2026-11-25T10:00:00.Z", false)]
    [InlineData("date", "2026-11-25", true)]
    [InlineData("date", "2026-13-01", false)]
    [InlineData("date", "0000-01-01", false)]
    [InlineData("email", "a.b+c@sub.example.com", true)]
    [InlineData("email", "a..b@c.com", false)]
    [InlineData("email", ".a@c.com", false)]
    [InlineData("email", "a.@c.com", false)]
    [InlineData("email", "a@-c.com", false)]
    [InlineData("email", "a@c-.com", false)]
    [InlineData("email", "a@b", false)]
    [InlineData("email", "a@b.c1", false)]
    [InlineData("email", "\"q\"@c.com", false)]
    [InlineData("email", "a@[1.2.3.4]", false)]
    [InlineData("email", "zoë@example.org", false)]
    public void CertainlyValid_Edges_AcceptOnlyThePlainShape(string format, string text, bool expected)
    {
        Assert.Equal(expected, FormatShortcuts.CertainlyValid(format, text));
        if (expected)
        {
            Assert.True(Library(format, text), $"JsonSchema.Net rejects {text}");
        }
    }

    [Fact]
    public void CertainlyValid_RandomMutations_NeverAcceptWhatJsonSchemaNetRejects()
    {
        var random = new Random(20261201);
        var disagreements = new List<string>();
        var accepted = 0;
        foreach (var format in new[] { "date-time", "date", "email" })
        {
            for (var n = 0; n < 20_000; n++)
            {
                var text = Mutate(Plain[random.Next(Plain.Length)], random);
                if (!FormatShortcuts.CertainlyValid(format, text))
                {
                    continue;
                }
                accepted++;
                if (!Library(format, text))
                {
                    disagreements.Add($"{format}: {text}");
                }
            }
        }
        Assert.Empty(disagreements);
        Assert.True(accepted > 1_000, $"only {accepted} mutations were accepted: the test no longer exercises the shortcuts");
    }

    private static string Mutate(string text, Random random)
    {
        var chars = new List<char>(text);
        for (var edits = random.Next(1, 3); edits > 0; edits--)
        {
            var at = random.Next(chars.Count);
            var c = Alphabet[random.Next(Alphabet.Length)];
            switch (random.Next(4))
            {
                case 0: chars[at] = c; break;
                case 1: chars.Insert(at, c); break;
                case 2 when chars.Count > 1: chars.RemoveAt(at); break;
                default: chars[at] = char.IsAsciiDigit(chars[at]) ? (char)('0' + random.Next(10)) : chars[at]; break;
            }
        }
        return new string([.. chars]);
    }

    private static bool Library(string format, string text)
    {
        using var document = JsonDocument.Parse(JsonSerializer.Serialize(text));
        return FormatRegistry.Global.Get(format).Validate(document.RootElement, out _);
    }
}
