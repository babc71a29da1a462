using OrderFlow.States.Execution;
using OrderFlow.Json;
using OrderFlow.States.Parsing;
using OrderFlow.States.Paths;

namespace OrderFlow.States.Model;

/// <summary>
/// Task, Parallel and Map: states that produce a result and may Retry and Catch errors
/// (https://states-language.net/spec.html#errors).
/// </summary>
public abstract class ErrorHandlingState : State
{
    private protected ErrorHandlingState(FieldReader reader, string name) : base(reader, name)
    {
        ResultSelector = reader.Template("ResultSelector");
        ResultPath = reader.ResultPath();
        Retriers = ReadArray(reader, "Retry", r => new Retrier(r));
        Catchers = ReadArray(reader, "Catch", r => new Catcher(r));
        ErrorList.CheckAllIsLast(Retriers, r => r.ErrorEquals, reader, "Retry");
        ErrorList.CheckAllIsLast(Catchers, c => c.ErrorEquals, reader, "Catch");
    }

    private static T[] ReadArray<T>(FieldReader reader, string field, Func<FieldReader, T> create)
    {
        var array = reader.Array(field);
        if (array is null)
        {
            return [];
        }
        var items = new List<T>();
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JsonObject o)
            {
                items.Add(create(new FieldReader(o, reader.At($"{field}[{i}]"), reader.Problems)));
            }
            else
            {
                reader.Problem($"{field}[{i}]", "must be an object");
            }
        }
        return [.. items];
    }

    public PayloadTemplate? ResultSelector { get; }

    public ResultPathSpec ResultPath { get; }

    public IReadOnlyList<Retrier> Retriers { get; }

    public IReadOnlyList<Catcher> Catchers { get; }

    internal override IEnumerable<(string Field, string Target)> Transitions =>
        base.Transitions.Concat(Catchers.Select((c, i) => ($"Catch[{i}].Next", c.Next)));

    internal override void Link(StateGraph graph)
    {
        base.Link(graph);
        foreach (var catcher in Catchers)
        {
            catcher.NextState = graph.Find(catcher.Next);
        }
    }

    /// <summary>Runs the state's work once and returns its raw result (before ResultSelector), or an error.</summary>
    private protected abstract ValueTask<Evaluated> RunAttemptAsync(StateRun run, JsonValue effectiveInput, CancellationToken cancellationToken);

    /// <summary>The Parameters template of Task and Parallel states; a Map selects each item's input instead.</summary>
    private protected virtual PayloadTemplate? InputTemplate => null;

    /// <summary>The effective input of an attempt: the raw input after InputPath, then Parameters where the state has them.</summary>
    private Evaluated EffectiveInput(StateRun run)
    {
        var input = InputPath.Apply(run.RawInput, run, "InputPath");
        return input.Failed || InputTemplate is null ? input : InputTemplate.Evaluate(new PathRoots(input.Value, run));
    }

    internal override async ValueTask<StateOutcome> ExecuteAsync(StateRun run, CancellationToken cancellationToken)
    {
        int[]? attempts = null;
        while (true)
        {
            var processed = await AttemptAsync(run, cancellationToken);
            if (!processed.Failed)
            {
                return Leave(run, processed.Value);
            }
            var error = processed.Error!;
            var retrierIndex = FindRetrier(error.Error);
            if (retrierIndex >= 0)
            {
                attempts ??= new int[Retriers.Count];
                var retrier = Retriers[retrierIndex];
                if (attempts[retrierIndex] < retrier.MaxAttempts)
                {
                    var delay = retrier.DelayBefore(attempts[retrierIndex], run.Run.Options.Random);
                    attempts[retrierIndex]++;
                    await run.Run.DelayAsync(delay, cancellationToken);
                    run.CountRetry();
                    continue;
                }
            }
            return Catch(run, error);
        }
    }

    private int FindRetrier(string error)
    {
        for (var i = 0; i < Retriers.Count; i++)
        {
            if (Retriers[i].Matches(error))
            {
                return i;
            }
        }
        return -1;
    }

    private StateOutcome Catch(StateRun run, StatesError error)
    {
        foreach (var catcher in Catchers)
        {
            if (!catcher.Matches(error.Error))
            {
                continue;
            }
            var errorOutput = error.ToErrorOutput();
            var output = catcher.ResultPath.Apply(run.RawInput, errorOutput);
            if (output.Failed)
            {
                return StateOutcome.Fail(StatesError.Runtime(output.Error!.Cause ?? "The Catcher's ResultPath could not be applied"));
            }
            if (run.ApplyAssign(catcher.Assign, errorOutput) is { } assignError)
            {
                return StateOutcome.Fail(assignError);
            }
            return StateOutcome.Continue(output.Value, catcher.NextState);
        }
        return StateOutcome.Fail(error);
    }

    private async ValueTask<Evaluated> AttemptAsync(StateRun run, CancellationToken cancellationToken)
    {
        var input = EffectiveInput(run);
        if (input.Failed)
        {
            return input;
        }
        var result = await RunAttemptAsync(run, input.Value, cancellationToken);
        if (result.Failed)
        {
            return result;
        }
        return ProcessResult(run, result.Value);
    }

    /// <summary>ResultSelector, Assign, then ResultPath (https://states-language.net/spec.html#filters).</summary>
    private protected Evaluated ProcessResult(StateRun run, JsonValue result)
    {
        if (ResultSelector is not null)
        {
            var selected = ResultSelector.Evaluate(new PathRoots(result, run));
            if (selected.Failed)
            {
                return selected;
            }
            result = selected.Value;
        }
        if (run.ApplyAssign(Assign, result) is { } assignError)
        {
            return assignError;
        }
        return ResultPath.Apply(run.RawInput, result);
    }
}
