using OrderFlow.States.Execution;
using OrderFlow.States.History;
using OrderFlow.Json;
using OrderFlow.States.Parsing;
using OrderFlow.States.Paths;

namespace OrderFlow.States.Model;

/// <summary>
/// A Parallel state: runs every branch on the same input; its result is the array of branch outputs, in branch
/// order. The first failing branch fails the state (https://states-language.net/spec.html#parallel-state).
/// </summary>
public sealed class ParallelState : ErrorHandlingState
{
    internal static readonly HashSet<string> Fields =
    [
        "Type", "Comment", "InputPath", "OutputPath", "Next", "End", "Assign", "Branches", "Parameters", "ResultSelector",
        "ResultPath", "Retry", "Catch",
    ];

    private readonly StateGraph[] _branches;

    internal ParallelState(FieldReader reader, string name, DefinitionParser parser) : base(reader, name)
    {
        Parameters = reader.Template("Parameters");
        var branches = reader.Array("Branches", required: true, nonEmpty: true);
        var graphs = new List<StateGraph>();
        for (var i = 0; branches is not null && i < branches.Count; i++)
        {
            if (branches[i] is JsonObject o)
            {
                if (parser.ParseGraph(o, reader.At($"Branches[{i}]"), DefinitionParser.BranchFields) is { } graph)
                {
                    graphs.Add(graph);
                }
            }
            else
            {
                reader.Problem($"Branches[{i}]", "must be an object with StartAt and States");
            }
        }
        _branches = [.. graphs];
        reader.RejectUnknown(Fields, "a Parallel state");
    }

    public override string Type => "Parallel";

    public PayloadTemplate? Parameters { get; }

    public IReadOnlyList<StateGraph> Branches => _branches;

    internal override IEnumerable<StateGraph> ChildGraphs => _branches;

    private protected override PayloadTemplate? InputTemplate => Parameters;

    private protected override async ValueTask<Evaluated> RunAttemptAsync(StateRun run, JsonValue effectiveInput, CancellationToken cancellationToken)
    {
        var frame = run.Frame;
        frame.Record("ParallelStateStarted");
        var startedId = frame.LastEventId;
        var (results, error) = await BoundedRunner.RunAsync(_branches.Length, _branches.Length,
            (i, ct) => GraphRunner.RunAsync(_branches[i], effectiveInput, frame.Child(startedId), ct), cancellationToken);
        if (error is not null)
        {
            frame.Record("ParallelStateFailed");
            return error;
        }
        frame.Record("ParallelStateSucceeded");
        return new JsonArray(results);
    }
}
