using OrderFlow.States.Choice;
using OrderFlow.States.Execution;
using OrderFlow.Json;
using OrderFlow.States.Parsing;
using OrderFlow.States.Paths;

namespace OrderFlow.States.Model;

/// <summary>
/// A Choice state: the first rule that holds picks the next state, else Default, else States.NoChoiceMatched
/// (https://states-language.net/spec.html#choice-state). A rule's Assign applies when it matches; the state's own
/// Assign applies when Default is taken.
/// </summary>
public sealed class ChoiceState : State
{
    internal static readonly HashSet<string> Fields = ["Type", "Comment", "InputPath", "OutputPath", "Choices", "Default", "Assign"];

    private readonly ChoiceRule[] _rules;

    internal ChoiceState(FieldReader reader, string name) : base(reader, name, hasTransition: false)
    {
        var choices = reader.Array("Choices", required: true, nonEmpty: true);
        var rules = new List<ChoiceRule>();
        for (var i = 0; choices is not null && i < choices.Count; i++)
        {
            if (choices[i] is not JsonObject o)
            {
                reader.Problem($"Choices[{i}]", "must be a Choice rule object");
                continue;
            }
            var ruleReader = new FieldReader(o, reader.At($"Choices[{i}]"), reader.Problems);
            var next = ruleReader.String("Next", required: true);
            var assign = AssignBlock.Compile(ruleReader, "Assign");
            var condition = ChoiceRuleParser.Parse(ruleReader, topLevel: true);
            if (next is not null && condition is not null)
            {
                rules.Add(new ChoiceRule(condition, next, assign));
            }
        }
        _rules = [.. rules];
        Default = reader.String("Default");
        foreach (var field in new[] { "Next", "End" })
        {
            if (reader.Has(field))
            {
                reader.Problem(field, "a Choice state cannot have " + field + "; its rules and Default choose the next state");
            }
        }
        reader.RejectUnknown(Fields, "a Choice state");
    }

    public override string Type => "Choice";

    public string? Default { get; }

    internal IReadOnlyList<ChoiceRule> Rules => _rules;

    private State? DefaultState { get; set; }

    internal override IEnumerable<(string Field, string Target)> Transitions =>
        _rules.Select((r, i) => ($"Choices[{i}].Next", r.Next)).Concat(Default is null ? [] : [("Default", Default)]);

    internal override void Link(StateGraph graph)
    {
        foreach (var rule in _rules)
        {
            rule.NextState = graph.Find(rule.Next);
        }
        DefaultState = Default is null ? null : graph.Find(Default);
    }

    internal override ValueTask<StateOutcome> ExecuteAsync(StateRun run, CancellationToken cancellationToken)
    {
        var input = InputPath.Apply(run.RawInput, run, "InputPath");
        if (input.Failed)
        {
            return new(StateOutcome.Fail(input.Error!));
        }
        var roots = new PathRoots(input.Value, run);
        foreach (var rule in _rules)
        {
            var holds = rule.Condition.Evaluate(roots, out var error);
            if (error is not null)
            {
                return new(StateOutcome.Fail(error));
            }
            if (holds)
            {
                return new(Choose(run, input.Value, rule.Assign, rule.NextState!));
            }
        }
        if (DefaultState is not null)
        {
            return new(Choose(run, input.Value, Assign, DefaultState));
        }
        return new(StateOutcome.Fail(new StatesError(ErrorNames.NoChoiceMatched,
            $"No Choice rule of state '{Name}' matched the input, and the state has no Default.")));
    }

    private StateOutcome Choose(StateRun run, JsonValue input, PayloadTemplate? assign, State next)
    {
        if (run.ApplyAssign(assign, input) is { } assignError)
        {
            return StateOutcome.Fail(assignError);
        }
        var output = OutputPath.Apply(input, run, "OutputPath");
        return output.Failed ? StateOutcome.Fail(output.Error!) : StateOutcome.Continue(output.Value, next);
    }
}

internal sealed class ChoiceRule(ChoiceCondition condition, string next, PayloadTemplate? assign)
{
    public ChoiceCondition Condition { get; } = condition;

    public string Next { get; } = next;

    public PayloadTemplate? Assign { get; } = assign;

    public State? NextState { get; set; }
}
