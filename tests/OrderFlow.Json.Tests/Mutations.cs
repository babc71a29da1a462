using System.Text;

namespace OrderFlow.Json.Tests;

/// <summary>
/// Random edits of a well-formed JSON text, and texts that are not plain, for the tests that hold a fast path (the file
/// check's scan, the parser's plain path) to <see cref="System.Text.Json.Utf8JsonReader"/>.
/// </summary>
internal static class Mutations
{
    /// <summary>
    /// 3,000 mutants of each seed, with one to three edits each, from the same random sequence every run (so a failure
    /// names a text that comes back).
    /// </summary>
    public static IEnumerable<string> Of(IEnumerable<string> seeds, string alphabet, string[] pieces)
    {
        var random = new Random(20261203);
        foreach (var seed in seeds)
        {
            for (var round = 0; round < 3000; round++)
            {
                yield return Mutate(seed, random, edits: 1 + round % 3, alphabet, pieces);
            }
        }
    }

    /// <summary>
    /// <paramref name="edits"/> random deletions, replacements and insertions of single characters of
    /// <paramref name="alphabet"/>, or insertions of one of <paramref name="pieces"/> (whole values or parts of one, so
    /// that many mutants stay well-formed).
    /// </summary>
    public static string Mutate(string seed, Random random, int edits, string alphabet, string[] pieces)
    {
        var text = new StringBuilder(seed);
        for (var e = 0; e < edits; e++)
        {
            var at = random.Next(text.Length + 1);
            switch (random.Next(4))
            {
                case 0 when text.Length > 0 && at < text.Length:
                    text.Remove(at, 1);
                    break;
                case 1 when at < text.Length:
                    text[at] = alphabet[random.Next(alphabet.Length)];
                    break;
                case 2:
                    text.Insert(at, pieces[random.Next(pieces.Length)]);
                    break;
                default:
                    text.Insert(at, alphabet[random.Next(alphabet.Length)]);
                    break;
            }
        }
        return text.ToString();
    }

    /// <summary>
    /// Texts a fast path must leave to <see cref="System.Text.Json.Utf8JsonReader"/>: an escape (the reader decodes it)
    /// or a fault (the reader words it). The file check's scan calls none of them plain and valid, the parser's fast
    /// path gives up on every one.
    /// </summary>
    public static TheoryData<string> NotPlain =>
    [
        "",
        "   ",
        "{\"a\":\"line\\nbreak\"}",
        "{\"a\\u0062\":1}",
        "{\"a\":1,}",
        "[1,]",
        "{\"a\" 1}",
        "{a:1}",
        "01",
        "1.",
        "-",
        ".5",
        "1e",
        "truex",
        "nul",
        "{} {}",
        "[1 2]",
        "{\"a\":1]",
        "\"tab\tinside\"",
        "\"unclosed",
        "/* comment */ 1",
    ];
}
