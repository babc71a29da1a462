using OrderFlow.Json;

namespace OrderFlow.Events.Patterns;

/// <summary>
/// The compiled form of one pattern object: its fields (each a nested node or a leaf) and its <c>$or</c> groups.
/// A node matched against an array of objects holds when one element matches it whole, so fields from different
/// elements are never combined.
/// </summary>
internal sealed class PatternNode(PatternField[] fields, PatternNode[][] orGroups)
{
    public IReadOnlyList<PatternField> Fields => fields;

    public bool Matches(JsonObject evt)
    {
        foreach (var field in fields)
        {
            evt.TryGetValue(field.Name, out var value);
            if (!field.Matches(evt.ContainsKey(field.Name) ? value : null))
            {
                return false;
            }
        }
        foreach (var group in orGroups)
        {
            var any = false;
            foreach (var branch in group)
            {
                if (branch.Matches(evt))
                {
                    any = true;
                    break;
                }
            }
            if (!any)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Matches a value that should hold objects: an object, or an array with an object that matches.</summary>
    public bool MatchesValue(JsonValue? value)
    {
        switch (value)
        {
            case JsonObject o:
                return Matches(o);
            case JsonArray a:
                foreach (var item in a)
                {
                    if (MatchesValue(item))
                    {
                        return true;
                    }
                }
                return a.Count == 0 && Matches(JsonObject.Empty);
            default:
                // Absent (or not an object): only "exists": false style fields can hold.
                return Matches(JsonObject.Empty);
        }
    }
}

/// <summary>One field of a pattern object: either a nested pattern object or a leaf list of match values.</summary>
internal sealed class PatternField(string name, PatternNode? nested, LeafMatcher? leaf)
{
    public string Name { get; } = name;

    public PatternNode? Nested { get; } = nested;

    public LeafMatcher? Leaf { get; } = leaf;

    /// <param name="value">The event's value for this field, or null when the field is absent.</param>
    public bool Matches(JsonValue? value) => Nested is not null ? Nested.MatchesValue(value) : Leaf!.Matches(value);
}

/// <summary>
/// A leaf: a list of match values, any of which may hold. The event's value is a scalar or an array of scalars
/// (any element may match); objects are not leaves, and an empty array does not exist.
/// </summary>
internal sealed class LeafMatcher
{
    private readonly Condition[] _conditions;
    private readonly HashSet<string>? _exactStrings;
    private readonly Condition[] _others;

    public LeafMatcher(Condition[] conditions)
    {
        _conditions = conditions;
        var strings = conditions.OfType<ExactStringCondition>().Select(c => c.Value).ToArray();
        // Two or more exact strings are looked up in a set rather than compared one by one.
        _exactStrings = strings.Length >= 2 ? new HashSet<string>(strings, StringComparer.Ordinal) : null;
        _others = _exactStrings is null ? conditions : [.. conditions.Where(c => c is not ExactStringCondition)];
    }

    public IReadOnlyList<Condition> Conditions => _conditions;

    public bool Matches(JsonValue? value)
    {
        var present = HasScalar(value);
        foreach (var condition in _others)
        {
            if (condition is ExistsCondition exists)
            {
                if (exists.ShouldExist == present)
                {
                    return true;
                }
                continue;
            }
            if (present && AnyScalar(value!, condition))
            {
                return true;
            }
        }
        return _exactStrings is not null && present && AnyInSet(value!);
    }

    private static bool HasScalar(JsonValue? value) => value switch
    {
        null or JsonObject => false,
        JsonArray a => a.Any(HasScalar),
        _ => true,
    };

    private static bool AnyScalar(JsonValue value, Condition condition)
    {
        if (value is JsonArray a)
        {
            foreach (var item in a)
            {
                if (AnyScalar(item, condition))
                {
                    return true;
                }
            }
            return false;
        }
        return value is not JsonObject && condition.Matches(value);
    }

    private bool AnyInSet(JsonValue value) => value switch
    {
        JsonString s => _exactStrings!.Contains(s.Value),
        JsonArray a => a.Any(AnyInSet),
        _ => false,
    };
}
