using System.Text;
using OrderFlow.States.Execution;
using OrderFlow.States.History;
using OrderFlow.Json;
using OrderFlow.States.Parsing;

namespace OrderFlow.States.Model;

/// <summary>
/// A parsed, validated and immutable state machine definition (Amazon States Language, JSONPath). Parse once,
/// then run any number of executions, concurrently if you like: all per-run state lives in the execution.
/// </summary>
public sealed class StateMachine
{
    private StateMachine(StateGraph graph, string? comment, long? timeoutSeconds, string? version)
    {
        Graph = graph;
        Comment = comment;
        TimeoutSeconds = timeoutSeconds;
        Version = version;
    }

    public StateGraph Graph { get; }

    public string? Comment { get; }

    /// <summary>Largest run time of an execution; past it the execution times out with States.Timeout.</summary>
    public long? TimeoutSeconds { get; }

    public string? Version { get; }

    /// <summary>Parses and validates; throws <see cref="InvalidDefinitionException"/> listing every problem.</summary>
    public static StateMachine Parse(string json) =>
        TryParse(json, out var machine, out var problems) ? machine : throw new InvalidDefinitionException(problems);

    public static StateMachine Parse(JsonValue definition) =>
        TryParse(definition, out var machine, out var problems) ? machine : throw new InvalidDefinitionException(problems);

    public static bool TryParse(string json, out StateMachine machine, out IReadOnlyList<DefinitionProblem> problems)
    {
        JsonValue definition;
        try
        {
            definition = JsonValue.Parse(Encoding.UTF8.GetBytes(json));
        }
        catch (JsonParseException ex)
        {
            machine = null!;
            problems = [new DefinitionProblem(string.Empty, ex.Message)];
            return false;
        }
        return TryParse(definition, out machine, out problems);
    }

    public static bool TryParse(JsonValue definition, out StateMachine machine, out IReadOnlyList<DefinitionProblem> problems)
    {
        machine = null!;
        if (definition is not JsonObject root)
        {
            problems = [new DefinitionProblem(string.Empty, $"A state machine definition must be a JSON object, not {definition.KindName}.")];
            return false;
        }
        var parser = new DefinitionParser();
        var graph = parser.ParseGraph(root, string.Empty, DefinitionParser.TopLevelFields);
        var reader = new FieldReader(root, string.Empty, parser.Problems);
        var timeout = reader.Integer("TimeoutSeconds", min: 1);
        var version = reader.String("Version");
        var comment = reader.String("Comment");
        if (version is not null and not "1.0")
        {
            reader.Problem("Version", $"must be \"1.0\", not \"{version}\"");
        }
        problems = parser.Problems.Items;
        if (graph is null || problems.Count > 0)
        {
            return false;
        }
        parser.Link();
        machine = new StateMachine(graph, comment, timeout, version);
        return true;
    }

    /// <summary>Runs one execution to its end and returns its status, output or error, and history.</summary>
    public async Task<ExecutionResult> RunAsync(JsonValue input, ExecutionOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ExecutionOptions();
        var name = options.ExecutionName ?? options.Random.NewGuid().ToString();
        var run = new ExecutionRun(this, input, options, name);
        var frame = new Frame(run, new VariableScope(null), 0);
        frame.Record("ExecutionStarted", "executionStartedEventDetails", frame.RecordsHistory ? EventDetails.Input(input, run.RoleArn) : null);
        using var timeout = TimeoutSeconds is { } seconds
            ? new CancellationTokenSource(TimeSpan.FromSeconds(seconds), run.Time)
            : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        Evaluated outcome;
        try
        {
            outcome = run.CheckSize(input, "execution input") is { } tooBig
                ? tooBig
                : await GraphRunner.RunAsync(Graph, input, frame, linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var error = new StatesError(ErrorNames.Timeout, $"The execution did not finish within {TimeoutSeconds} seconds.");
            frame.Record("ExecutionTimedOut", "executionTimedOutEventDetails", frame.RecordsHistory ? EventDetails.Failure(error) : null);
            return Finish(run, ExecutionStatus.TimedOut, null, error);
        }
        if (outcome.Failed)
        {
            frame.Record("ExecutionFailed", "executionFailedEventDetails", frame.RecordsHistory ? EventDetails.Failure(outcome.Error!) : null);
            return Finish(run, ExecutionStatus.Failed, null, outcome.Error);
        }
        frame.Record("ExecutionSucceeded", "executionSucceededEventDetails", frame.RecordsHistory ? EventDetails.Output(outcome.Value) : null);
        return Finish(run, ExecutionStatus.Succeeded, outcome.Value, null);
    }

    private static ExecutionResult Finish(ExecutionRun run, ExecutionStatus status, JsonValue? output, StatesError? error) =>
        new(run.ExecutionArn, run.Name, status, output, error, run.StartTime, run.Time.GetUtcNow(), run.History?.Events ?? [])
        {
            MapRuns = [.. run.MapRuns],
        };
}
