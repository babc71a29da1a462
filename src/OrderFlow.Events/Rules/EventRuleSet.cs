using OrderFlow.Events.Patterns;
using OrderFlow.Json;

namespace OrderFlow.Events.Rules;

/// <summary>
/// Many rules matched against one event. Rules whose pattern names exact strings for a top-level field (most do:
/// <c>source</c>, <c>detail-type</c>) are indexed by those values, so an event is checked only against rules that
/// could match it; matching a thousand rules costs little more than matching the few that share its source.
/// </summary>
public sealed class EventRuleSet<TRule>
{
    private readonly List<(TRule Rule, EventPattern Pattern)> _rules = [];
    private readonly Dictionary<string, Dictionary<string, List<int>>> _index = new(StringComparer.Ordinal);
    private readonly List<int> _unindexed = [];

    public int Count => _rules.Count;

    public void Add(TRule rule, EventPattern pattern)
    {
        var id = _rules.Count;
        _rules.Add((rule, pattern));
        foreach (var field in pattern.Root.Fields)
        {
            if (field.Leaf is { } leaf && leaf.Conditions.All(c => c is ExactStringCondition))
            {
                var byValue = _index.TryGetValue(field.Name, out var existing)
                    ? existing
                    : _index[field.Name] = new Dictionary<string, List<int>>(StringComparer.Ordinal);
                foreach (var value in leaf.Conditions.Cast<ExactStringCondition>().Select(c => c.Value).Distinct())
                {
                    (byValue.TryGetValue(value, out var ids) ? ids : byValue[value] = []).Add(id);
                }
                return;
            }
        }
        _unindexed.Add(id);
    }

    /// <summary>The rules whose pattern matches <paramref name="evt"/>, in the order they were added.</summary>
    public IReadOnlyList<TRule> Match(JsonValue evt)
    {
        if (evt is not JsonObject obj)
        {
            return [];
        }
        var candidates = new List<int>(_unindexed);
        foreach (var (field, byValue) in _index)
        {
            if (obj.TryGetValue(field, out var value))
            {
                AddCandidates(value, byValue, candidates);
            }
        }
        candidates.Sort();
        var matched = new List<TRule>();
        var previous = -1;
        foreach (var id in candidates)
        {
            if (id != previous && _rules[id].Pattern.Matches(obj))
            {
                matched.Add(_rules[id].Rule);
            }
            previous = id;
        }
        return matched;
    }

    private static void AddCandidates(JsonValue value, Dictionary<string, List<int>> byValue, List<int> candidates)
    {
        switch (value)
        {
            case JsonString s when byValue.TryGetValue(s.Value, out var ids):
                candidates.AddRange(ids);
                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    AddCandidates(item, byValue, candidates);
                }
                break;
        }
    }
}
