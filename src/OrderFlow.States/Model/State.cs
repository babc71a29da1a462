using OrderFlow.States.Execution;
using OrderFlow.Json;
using OrderFlow.States.Parsing;

namespace OrderFlow.States.Model;

/// <summary>
/// A state of a parsed definition: one class per state type (https://states-language.net/spec.html#state-types).
/// Immutable once its graph is linked; everything per-run lives in <see cref="StateRun"/>.
/// </summary>
public abstract class State
{
    private protected State(FieldReader reader, string name, bool hasInputOutput = true, bool hasTransition = true, bool hasAssign = true)
    {
        Name = name;
        Location = reader.Location;
        Comment = reader.String("Comment");
        if (hasInputOutput)
        {
            InputPath = reader.DataPath("InputPath");
            OutputPath = reader.DataPath("OutputPath");
        }
        if (hasAssign)
        {
            Assign = AssignBlock.Compile(reader, "Assign");
        }
        if (hasTransition)
        {
            Next = reader.String("Next");
            IsEnd = reader.Bool("End") ?? false;
            if (Next is not null && IsEnd)
            {
                reader.Problem("End", "a state cannot have both Next and End: true");
            }
            else if (Next is null && !IsEnd)
            {
                reader.Problem("Next", "is required unless End is true");
            }
        }
    }

    public string Name { get; }

    public abstract string Type { get; }

    /// <summary>Where the state sits in the definition, e.g. <c>States.Map.ItemProcessor.States.Validate</c>.</summary>
    public string Location { get; }

    public string? Comment { get; }

    public DataPath InputPath { get; } = DataPath.Identity;

    public DataPath OutputPath { get; } = DataPath.Identity;

    public PayloadTemplate? Assign { get; }

    public string? Next { get; }

    public bool IsEnd { get; }

    internal State? NextState { get; private set; }

    /// <summary>Every state name this state may transition to, with the field that names it.</summary>
    internal virtual IEnumerable<(string Field, string Target)> Transitions =>
        Next is null ? [] : [("Next", Next)];

    /// <summary>Nested graphs: Parallel branches, the Map's item processor.</summary>
    internal virtual IEnumerable<StateGraph> ChildGraphs => [];

    internal virtual void Link(StateGraph graph)
    {
        if (Next is not null)
        {
            NextState = graph.Find(Next);
        }
    }

    /// <summary>Runs the state once. Errors come back in the outcome; exceptions are bugs.</summary>
    internal abstract ValueTask<StateOutcome> ExecuteAsync(StateRun run, CancellationToken cancellationToken);

    /// <summary>The normal exit: OutputPath applied to the state output, then the transition.</summary>
    private protected StateOutcome Leave(StateRun run, JsonValue output)
    {
        var selected = OutputPath.Apply(output, run, "OutputPath");
        return selected.Failed ? StateOutcome.Fail(selected.Error!) : StateOutcome.Continue(selected.Value, NextState);
    }

    public override string ToString() => $"{Type} \"{Name}\"";
}

/// <summary>What running a state produced: an output and the next state (none at the end), or an error.</summary>
internal readonly struct StateOutcome
{
    private StateOutcome(JsonValue? output, State? next, StatesError? error)
    {
        Output = output!;
        Next = next;
        Error = error;
    }

    public JsonValue Output { get; }

    public State? Next { get; }

    public StatesError? Error { get; }

    public static StateOutcome Continue(JsonValue output, State? next) => new(output, next, null);

    public static StateOutcome Fail(StatesError error) => new(null, null, error);
}

/// <summary>Assign blocks: a payload template whose top-level names are variable names.</summary>
internal static class AssignBlock
{
    public static PayloadTemplate? Compile(FieldReader reader, string field)
    {
        var raw = reader.ObjectField(field);
        if (raw is null)
        {
            return null;
        }
        foreach (var name in raw.Names)
        {
            var variable = name.EndsWith(".$", StringComparison.Ordinal) ? name[..^2] : name;
            if (!IsValidName(variable))
            {
                reader.Problems.Add(reader.At($"{field}.{name}"), $"\"{variable}\" is not a valid variable name: use letters, digits and '_', not starting with a digit");
            }
            else if (variable == "states")
            {
                reader.Problems.Add(reader.At($"{field}.{name}"), "\"states\" is a reserved variable name");
            }
        }
        return PayloadTemplate.Compile(raw, reader.At(field), reader.Problems);
    }

    public static IEnumerable<string> Names(JsonObject raw) =>
        raw.Names.Select(n => n.EndsWith(".$", StringComparison.Ordinal) ? n[..^2] : n);

    private static bool IsValidName(string name) =>
        name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_') && name.All(c => char.IsLetterOrDigit(c) || c == '_');
}
