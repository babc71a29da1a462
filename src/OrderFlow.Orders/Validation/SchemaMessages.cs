using System.Text.RegularExpressions;
using Json.Schema;

namespace OrderFlow.Orders.Validation;

/// <summary>
/// Turns JsonSchema.Net's list output into one clear message per problem: the failed branches of <c>oneOf</c> and
/// <c>anyOf</c> are summarised by what the field must be, not listed one by one.
/// </summary>
internal static partial class SchemaMessages
{
    public static IEnumerable<Violation> From(EvaluationResults result)
    {
        var violations = new List<Violation>();
        Collect(result, violations);
        var distinct = violations.DistinctBy(v => v.ToString()).ToList();
        // "must not be empty" already says what "must not be blank" would.
        distinct.RemoveAll(v => v.Message == "must not be blank" && distinct.Any(o => o.Path == v.Path && o.Message == "must not be empty"));
        return distinct;
    }

    /// <summary>
    /// Walks the hierarchical output, descending only into failed nodes. The branches of an <c>anyOf</c> appear as
    /// siblings: when one of them passed, the others are not problems of the order. A failed shared definition
    /// (<c>$defs/positiveInteger</c>, ...) is reported once, by its meaning.
    /// </summary>
    private static void Collect(EvaluationResults node, List<Violation> violations)
    {
        if (node.IsValid)
        {
            return;
        }
        var location = node.InstanceLocation.ToString();
        var schemaPath = node.SchemaLocation.Fragment;
        foreach (var (definition, meaning) in Definitions)
        {
            if (schemaPath.EndsWith(definition, StringComparison.Ordinal))
            {
                violations.Add(new Violation(Violation.PathFromPointer(location), meaning));
                return;
            }
        }
        foreach (var (keyword, message) in node.Errors ?? new Dictionary<string, string>())
        {
            if (keyword is not ("anyOf" or "oneOf") && Describe(location, $"{schemaPath}/{keyword}", keyword, message) is { } violation)
            {
                violations.Add(violation);
            }
        }
        foreach (var group in (node.Details ?? []).GroupBy(c => AnyOfPrefix(c.EvaluationPath.ToString())))
        {
            if (group.Key is null)
            {
                foreach (var child in group)
                {
                    Collect(child, violations);
                }
            }
            else if (group.All(c => !c.IsValid))
            {
                if (group.Key.EndsWith("/properties/order-info/anyOf", StringComparison.Ordinal))
                {
                    violations.Add(new Violation(Violation.PathFromPointer(location), "needs item-id and qty, or a list of items"));
                    continue;
                }
                foreach (var branch in group)
                {
                    Collect(branch, violations);
                }
            }
        }
    }

    /// <summary>
    /// Whether <see cref="Collect"/> words a failure of the schema at <paramref name="schemaPointer"/> by its meaning
    /// alone, whatever failed inside it: the message then depends only on where the instance failed.
    /// </summary>
    public static bool WordsWhole(string schemaPointer)
    {
        foreach (var (definition, _) in Definitions)
        {
            if (schemaPointer.EndsWith(definition, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    private static readonly (string Definition, string Meaning)[] Definitions =
    [
        ("/$defs/positiveInteger", "must be a positive integer up to 999,999,999, as a number or a string of digits without leading zeros"),
        ("/$defs/price", "must be a decimal number ≥ 0 and under 10,000,000,000,000, as a number or a string such as \"12.50\" (a string: at most 4 decimal places, no leading zeros)"),
        ("/$defs/text", "must be a non-empty string of at most 256 characters"),
    ];

    /// <summary><c>.../anyOf/2</c> → <c>.../anyOf</c>; null for anything else.</summary>
    private static string? AnyOfPrefix(string evaluationPath)
    {
        var cut = evaluationPath.LastIndexOf("/anyOf/", StringComparison.Ordinal);
        return cut >= 0 && int.TryParse(evaluationPath.AsSpan(cut + 7), out _) ? evaluationPath[..(cut + 6)] : null;
    }

    private static Violation? Describe(string location, string evaluation, string keyword, string message)
    {
        var path = Violation.PathFromPointer(location);
        return keyword switch
        {
            "required" => RequiredNames(message) is { Count: > 0 } names
                ? new Violation(names.Count == 1 ? $"{path}.{names[0]}" : path, names.Count == 1 ? "is required" : $"needs {string.Join(", ", names)}")
                : new Violation(path, message),
            "format" when evaluation.EndsWith("/email/format", StringComparison.Ordinal) => new Violation(path, "must be a valid email address"),
            "format" when evaluation.Contains("/order-date", StringComparison.Ordinal) => new Violation(path, "must be an ISO 8601 date or date-time such as 2026-11-25 or 2026-11-25T10:00:00Z"),
            "enum" when evaluation.Contains("/status", StringComparison.Ordinal) => new Violation(path, "must be one of placed, paid, shipped, delivered, cancelled, returned"),
            "pattern" when evaluation.EndsWith("/currency/pattern", StringComparison.Ordinal) => new Violation(path, "must be an ISO 4217 currency code such as EUR"),
            "pattern" when evaluation.EndsWith("/country/pattern", StringComparison.Ordinal) => new Violation(path, "must be an ISO 3166-1 alpha-2 country code such as DE"),
            "pattern" when evaluation.EndsWith("/phone/pattern", StringComparison.Ordinal) => new Violation(path, "must be a phone number of 5 to 32 digits, spaces and + ( ) . / -"),
            "pattern" when evaluation.EndsWith("/OrderId/pattern", StringComparison.Ordinal) => new Violation(path, "must not be blank"),
            "minLength" when evaluation.EndsWith("/OrderId/minLength", StringComparison.Ordinal) => new Violation(path, "must not be empty"),
            "maxLength" when evaluation.EndsWith("/OrderId/maxLength", StringComparison.Ordinal) => new Violation(path, "must be at most 128 characters"),
            "type" => new Violation(path, $"must be {Article(TypeName(evaluation, message))}"),
            _ => new Violation(path, message),
        };
    }

    private static List<string> RequiredNames(string message) =>
        [.. QuotedName().Matches(message).Select(m => m.Groups[1].Value)];

    private static string TypeName(string evaluation, string message)
    {
        var expected = ExpectedType().Match(message);
        return expected.Success ? expected.Groups[1].Value : evaluation.Split('/')[^2];
    }

    private static string Article(string type) => type is "object" or "array" or "integer" ? $"an {type}" : $"a {type}";

    [GeneratedRegex("\"([^\"]+)\"")]
    private static partial Regex QuotedName();

    [GeneratedRegex("should be (?:one of )?\\[?\"?(object|array|string|number|integer|boolean|null)")]
    private static partial Regex ExpectedType();
}
