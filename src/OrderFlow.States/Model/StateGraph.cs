namespace OrderFlow.States.Model;

/// <summary>A set of states with a start: the machine itself, a Parallel branch or a Map's item processor.</summary>
public sealed class StateGraph
{
    private readonly Dictionary<string, State> _states;

    internal StateGraph(string location, string startAt, Dictionary<string, State> states)
    {
        Location = location;
        StartAt = startAt;
        _states = states;
    }

    public string Location { get; }

    public string StartAt { get; }

    public IReadOnlyDictionary<string, State> States => _states;

    internal State Start => _states[StartAt];

    internal State Find(string name) => _states[name];
}
