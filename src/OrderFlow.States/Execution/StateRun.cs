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

    public JsonValue Context => _context ??= BuildContext();

    public bool TryGetVariable(string name, out JsonValue value) => Frame.Variables.TryGet(name, out value);

    public IRandomSource Random => Run.Options.Random;

    /// <summary>The context object: <c>Execution</c>, <c>State</c> and <c>StateMachine</c>.</summary>
    private JsonObject BuildContext()
    {
        var stateContext = new JsonObjectBuilder(3)
            .Set("EnteredTime", ExecutionRun.FormatTime(EnteredTime))
            .Set("Name", State.Name)
            .Set("RetryCount", RetryCount)
            .Build();
        return new JsonObjectBuilder(3)
            .Set("Execution", Run.ExecutionContext)
            .Set("State", stateContext)
            .Set("StateMachine", Run.StateMachineContext)
            .Build();
    }

    /// <summary>
    /// The context object of one item of this Map state: the state's own, plus <c>Map.Item.Index</c> and
    /// <c>Map.Item.Value</c>. It shares everything but the <c>Map</c> member with the state's context, which is built
    /// once: a Distributed Map evaluates its ItemSelector against a million of these.
    /// </summary>
    public JsonObject MapItemContext(long index, JsonValue value)
    {
        var item = JsonObject.FromDistinct([new("Index", JsonNumber.FromInt64(index)), new("Value", value)]);
        return ((JsonObject)Context).SetItem("Map", JsonObject.Of("Item", item));
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
