using OrderFlow.Json;
using OrderFlow.States.Model;
using OrderFlow.States.Paths;

namespace OrderFlow.States.Execution;

/// <summary>One entry into one state: its raw input, entry time and retry count, and the context object built from them.</summary>
internal sealed class StateRun(Frame frame, State state, JsonValue rawInput, DateTimeOffset enteredTime) : IEvaluationScope
{
    private JsonValue? _context;

    public Frame Frame { get; } = frame;

    public ExecutionRun Run => Frame.Run;

    public State State { get; } = state;

    public JsonValue RawInput { get; } = rawInput;

    public DateTimeOffset EnteredTime { get; } = enteredTime;

    public int RetryCount { get; private set; }

    /// <summary>Variables this state assigned, for the exited event.</summary>
    public JsonObject? Assigned { get; private set; }

    public void CountRetry()
    {
        RetryCount++;
        _context = null;
    }

    public JsonValue Context => _context ??= BuildContext(null);

    public bool TryGetVariable(string name, out JsonValue value) => Frame.Variables.TryGet(name, out value);

    public IRandomSource Random => Run.Options.Random;

    /// <summary>The context object; with <paramref name="mapItem"/> it also carries <c>Map.Item.Index</c> and <c>Map.Item.Value</c>.</summary>
    public JsonObject BuildContext(JsonObject? mapItem)
    {
        var stateContext = new JsonObjectBuilder(3)
            .Set("EnteredTime", ExecutionRun.FormatTime(EnteredTime))
            .Set("Name", State.Name)
            .Set("RetryCount", RetryCount)
            .Build();
        var builder = new JsonObjectBuilder(4)
            .Set("Execution", Run.ExecutionContext)
            .Set("State", stateContext)
            .Set("StateMachine", Run.StateMachineContext);
        if (mapItem is not null)
        {
            builder.Set("Map", new JsonObjectBuilder(1).Set("Item", mapItem).Build());
        }
        return builder.Build();
    }

    /// <summary>
    /// Evaluates an Assign block against <paramref name="input"/> and stores the variables. All values are evaluated
    /// before any is stored, so an assignment never sees another one of the same block.
    /// </summary>
    public StatesError? ApplyAssign(PayloadTemplate? assign, JsonValue input)
    {
        if (assign is null)
        {
            return null;
        }
        var evaluated = assign.Evaluate(new PathRoots(input, this));
        if (evaluated.Failed)
        {
            return evaluated.Error;
        }
        var values = (JsonObject)evaluated.Value;
        foreach (var (name, value) in values.Members)
        {
            Frame.Variables.Set(name, value);
        }
        Assigned = Assigned is null ? values : JsonObject.Create(Assigned.Members.Concat(values.Members));
        return null;
    }
}
