using OrderFlow.Json;
using OrderFlow.States.Model;

namespace OrderFlow.States.Parsing;

/// <summary>
/// Builds the immutable model of a definition and validates it, collecting every problem with its location
/// (https://states-language.net/spec.html#toplevelfields).
/// </summary>
internal sealed class DefinitionParser
{
    public static readonly HashSet<string> TopLevelFields = ["Comment", "StartAt", "States", "Version", "TimeoutSeconds", "QueryLanguage"];
    public static readonly HashSet<string> BranchFields = ["Comment", "StartAt", "States"];
    public static readonly HashSet<string> ProcessorFields = ["Comment", "StartAt", "States", "ProcessorConfig"];

    private const int MaxStateNameLength = 80;

    private readonly Dictionary<string, string> _stateLocations = new(StringComparer.Ordinal);
    private readonly List<StateGraph> _graphs = [];

    public ProblemList Problems { get; } = new();

    public IReadOnlyList<StateGraph> Graphs => _graphs;

    public StateGraph? ParseGraph(JsonObject obj, string location, HashSet<string> allowed)
    {
        var reader = new FieldReader(obj, location, Problems);
        reader.RejectUnknown(allowed, string.IsNullOrEmpty(location) ? "a state machine" : "a branch or item processor");
        CheckQueryLanguage(reader);
        var startAt = reader.String("StartAt", required: true);
        var statesObject = reader.ObjectField("States", required: true);
        if (statesObject is null)
        {
            return null;
        }
        if (statesObject.Count == 0)
        {
            reader.Problem("States", "must contain at least one state");
        }
        var states = new Dictionary<string, State>(StringComparer.Ordinal);
        foreach (var (name, value) in statesObject.Members)
        {
            var stateLocation = reader.At($"States.{name}");
            if (name.Length is 0 or > MaxStateNameLength)
            {
                Problems.Add(stateLocation, $"a state name must have 1 to {MaxStateNameLength} characters");
            }
            if (_stateLocations.TryGetValue(name, out var other))
            {
                Problems.Add(stateLocation, $"the state name \"{name}\" is already used at {other}; state names must be unique in the whole state machine");
            }
            else
            {
                _stateLocations[name] = stateLocation;
            }
            if (value is not JsonObject stateObject)
            {
                Problems.Add(stateLocation, $"a state must be an object, not {value.KindName}");
                continue;
            }
            if (CreateState(new FieldReader(stateObject, stateLocation, Problems), name) is { } state)
            {
                states[name] = state;
            }
        }
        if (startAt is not null && !statesObject.ContainsKey(startAt))
        {
            reader.Problem("StartAt", $"state \"{startAt}\" does not exist");
        }
        CheckTransitions(states, statesObject);
        if (startAt is not null && states.ContainsKey(startAt))
        {
            CheckReachability(startAt, states);
        }
        var graph = new StateGraph(location, startAt ?? string.Empty, states);
        _graphs.Add(graph);
        return graph;
    }

    private State? CreateState(FieldReader reader, string name)
    {
        CheckQueryLanguage(reader);
        var type = reader.String("Type", required: true);
        switch (type)
        {
            case null:
                return null;
            case "Pass":
                return new PassState(reader, name);
            case "Task":
                return new TaskState(reader, name);
            case "Choice":
                return new ChoiceState(reader, name);
            case "Wait":
                return new WaitState(reader, name);
            case "Succeed":
                return new SucceedState(reader, name);
            case "Fail":
                return new FailState(reader, name);
            case "Parallel":
                return new ParallelState(reader, name, this);
            case "Map":
                return new MapState(reader, name, this);
            default:
                reader.Problem("Type", $"\"{type}\" is not a state type; use Pass, Task, Choice, Wait, Succeed, Fail, Parallel or Map");
                return null;
        }
    }

    private static void CheckQueryLanguage(FieldReader reader)
    {
        var language = reader.String("QueryLanguage");
        if (language is not null and not "JSONPath")
        {
            reader.Problem("QueryLanguage", language == "JSONata"
                ? "JSONata is not supported by the OrderFlow engine; use JSONPath"
                : $"must be JSONPath or JSONata, not \"{language}\"");
        }
    }

    private void CheckTransitions(Dictionary<string, State> states, JsonObject statesObject)
    {
        foreach (var state in states.Values)
        {
            foreach (var (field, target) in state.Transitions)
            {
                if (!statesObject.ContainsKey(target))
                {
                    Problems.Add($"{state.Location}.{field}", $"state \"{target}\" does not exist"
                        + (_stateLocations.TryGetValue(target, out var elsewhere) ? $" in this scope (it is at {elsewhere}; a transition cannot leave its branch)" : string.Empty));
                }
            }
        }
    }

    private void CheckReachability(string startAt, Dictionary<string, State> states)
    {
        var reached = new HashSet<string>(StringComparer.Ordinal) { startAt };
        var queue = new Queue<string>([startAt]);
        while (queue.Count > 0)
        {
            if (!states.TryGetValue(queue.Dequeue(), out var state))
            {
                continue;
            }
            foreach (var (_, target) in state.Transitions)
            {
                if (reached.Add(target))
                {
                    queue.Enqueue(target);
                }
            }
        }
        foreach (var state in states.Values.Where(s => !reached.Contains(s.Name)))
        {
            Problems.Add(state.Location, $"state \"{state.Name}\" is not reachable from StartAt");
        }
    }

    /// <summary>Resolves every transition to its state object; only called on a definition without problems.</summary>
    public void Link()
    {
        foreach (var graph in _graphs)
        {
            foreach (var state in graph.States.Values)
            {
                state.Link(graph);
            }
        }
    }
}
