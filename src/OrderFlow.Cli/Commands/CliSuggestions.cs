using System.CommandLine;

namespace OrderFlow.Cli.Commands;

/// <summary>
/// "Did you mean": for a word the command line did not recognise, the command or option of the command it was given
/// to whose name is nearest (at most two edits away, or the only name it begins).
/// </summary>
internal static class CliSuggestions
{
    public static IEnumerable<string> For(ParseResult parsed)
    {
        var command = parsed.CommandResult.Command;
        var path = CommandPath(parsed);
        foreach (var token in parsed.UnmatchedTokens.Distinct(StringComparer.Ordinal))
        {
            var names = token.StartsWith('-')
                ? command.Options.SelectMany(o => o.Aliases.Prepend(o.Name))
                : command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name);
            if (Nearest(token, [.. names.Distinct(StringComparer.Ordinal)]) is { } near)
            {
                yield return token.StartsWith('-') ? $"Did you mean {near}? ({token} is not an option of {path})" : $"Did you mean {path} {near}?";
            }
        }
    }

    /// <summary>
    /// Refuses an argument of <paramref name="command"/> that looks like an option (<c>--data-dri</c>) where the
    /// command takes any word, a file name say, as an argument, naming the option it is nearest.
    /// </summary>
    public static void RefuseOptionLikeArguments(Command command, Argument<string[]> argument) => command.Validators.Add(result =>
    {
        foreach (var word in result.GetValue(argument) ?? [])
        {
            if (word.StartsWith("--", StringComparison.Ordinal))
            {
                var near = Nearest(word, [.. command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)).Distinct(StringComparer.Ordinal)]);
                result.AddError($"{word} is not an option of {CommandPath(result)}" + (near is null ? "." : $": did you mean {near}?"));
            }
        }
    });

    private static string CommandPath(ParseResult parsed) => CommandPath(parsed.CommandResult);

    private static string CommandPath(System.CommandLine.Parsing.CommandResult command)
    {
        var names = new List<string>();
        for (var result = command; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Add(result.Command is RootCommand ? "orderflow" : result.Command.Name);
        }
        names.Reverse();
        return string.Join(' ', names);
    }

    private static string? Nearest(string word, IReadOnlyList<string> names)
    {
        var prefixed = names.Where(n => n.StartsWith(word, StringComparison.OrdinalIgnoreCase)).ToList();
        if (word.TrimStart('-').Length >= 2 && prefixed.Count == 1)
        {
            return prefixed[0];
        }
        // Nearest first; between names as near, the one as long as the word (--tpo: --top rather than --to).
        var best = names.Select(n => (Name: n, Distance: Distance(word.ToLowerInvariant(), n.ToLowerInvariant()), Length: Math.Abs(n.Length - word.Length)))
            .Where(c => c.Distance <= Math.Min(2, Math.Max(1, c.Name.Length / 3)))
            .OrderBy(c => c.Distance).ThenBy(c => c.Length).ThenBy(c => c.Name, StringComparer.Ordinal).ToList();
        return best.Count > 0 && (best.Count == 1 || (best[0].Distance, best[0].Length) != (best[1].Distance, best[1].Length)) ? best[0].Name : null;
    }

    // Edits between two words: insertions, deletions, substitutions and swaps of two neighbours (the optimal string
    // alignment distance, https://en.wikipedia.org/wiki/Damerau%E2%80%93Levenshtein_distance).
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }
        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(d[i - 1, j - 1] + cost, Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1));
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }
}
