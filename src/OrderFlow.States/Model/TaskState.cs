using OrderFlow.States.Execution;
using OrderFlow.States.History;
using OrderFlow.Json;
using OrderFlow.States.Parsing;
using OrderFlow.States.Paths;
using OrderFlow.States.Tasks;

namespace OrderFlow.States.Model;

/// <summary>A Task state: calls the handler of its Resource (https://states-language.net/spec.html#task-state).</summary>
public sealed class TaskState : ErrorHandlingState
{
    internal static readonly HashSet<string> Fields =
    [
        "Type", "Comment", "InputPath", "OutputPath", "Next", "End", "Assign", "Resource", "Parameters", "ResultSelector",
        "ResultPath", "Retry", "Catch", "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath", "Credentials",
    ];

    internal TaskState(FieldReader reader, string name) : base(reader, name)
    {
        Resource = reader.String("Resource", required: true) ?? string.Empty;
        if (Resource.Length > 0 && !Resource.StartsWith("arn:", StringComparison.Ordinal))
        {
            reader.Problem("Resource", $"\"{Resource}\" is not an ARN");
        }
        (ResourceType, ResourceName) = ResourceNames.Split(Resource);
        Parameters = reader.Template("Parameters");
        TimeoutSeconds = (int?)reader.Integer("TimeoutSeconds", min: 1);
        TimeoutSecondsPath = reader.Path("TimeoutSecondsPath", reference: true);
        HeartbeatSeconds = (int?)reader.Integer("HeartbeatSeconds", min: 1);
        _ = reader.Path("HeartbeatSecondsPath", reference: true);
        if (TimeoutSeconds is not null && TimeoutSecondsPath is not null)
        {
            reader.Problem("TimeoutSecondsPath", "cannot be given together with TimeoutSeconds");
        }
        if (reader.Has("HeartbeatSeconds") && reader.Has("HeartbeatSecondsPath"))
        {
            reader.Problem("HeartbeatSecondsPath", "cannot be given together with HeartbeatSeconds");
        }
        if (HeartbeatSeconds is { } hb && TimeoutSeconds is { } to && hb >= to)
        {
            reader.Problem("HeartbeatSeconds", "must be smaller than TimeoutSeconds");
        }
        reader.RejectUnknown(Fields, "a Task state");
    }

    public override string Type => "Task";

    public string Resource { get; }

    public string ResourceType { get; }

    public string ResourceName { get; }

    public PayloadTemplate? Parameters { get; }

    public int? TimeoutSeconds { get; }

    public JsonPath? TimeoutSecondsPath { get; }

    public int? HeartbeatSeconds { get; }

    private protected override PayloadTemplate? InputTemplate => Parameters;

    private protected override async ValueTask<Evaluated> RunAttemptAsync(StateRun run, JsonValue parameters, CancellationToken cancellationToken)
    {
        var timeout = ResolveTimeout(run);
        if (timeout.Failed)
        {
            return timeout;
        }
        var seconds = timeout.Value is JsonNumber n && n.TryGetInt64(out var s) ? s : (long?)null;
        var frame = run.Frame;
        if (frame.RecordsHistory)
        {
            var scheduled = new JsonObjectBuilder(5).Set("resourceType", ResourceType).Set("resource", ResourceName)
                .Set("region", run.Run.Options.Region).Set("parameters", parameters.ToJsonString());
            if (seconds is { } t)
            {
                scheduled.Set("timeoutInSeconds", t);
            }
            frame.Record("TaskScheduled", "taskScheduledEventDetails", scheduled.Build());
            frame.Record("TaskStarted", "taskStartedEventDetails", ResourceDetails().Build());
        }
        var result = await InvokeAsync(run, parameters, seconds, cancellationToken);
        if (result.Failed)
        {
            var timedOut = result.Error!.Error == ErrorNames.Timeout;
            frame.Record(timedOut ? "TaskTimedOut" : "TaskFailed", timedOut ? "taskTimedOutEventDetails" : "taskFailedEventDetails",
                frame.RecordsHistory ? EventDetails.ErrorAndCause(ResourceDetails(), result.Error).Build() : null);
            return result;
        }
        if (run.Run.CheckSize(result.Value, "result returned by the task", Name) is { } tooBig)
        {
            frame.Record("TaskFailed", "taskFailedEventDetails", frame.RecordsHistory ? EventDetails.ErrorAndCause(ResourceDetails(), tooBig).Build() : null);
            return tooBig;
        }
        if (frame.RecordsHistory)
        {
            frame.Record("TaskSucceeded", "taskSucceededEventDetails",
                ResourceDetails().Set("output", result.Value.ToJsonString()).Set("outputDetails", new JsonObjectBuilder(1).Set("truncated", false).Build()).Build());
        }
        return result;
    }

    private JsonObjectBuilder ResourceDetails() => new JsonObjectBuilder(5).Set("resourceType", ResourceType).Set("resource", ResourceName);

    private Evaluated ResolveTimeout(StateRun run)
    {
        if (TimeoutSecondsPath is null)
        {
            return TimeoutSeconds is { } t ? JsonNumber.FromInt64(t) : JsonValue.Null;
        }
        if (TimeoutSecondsPath.TryEvaluate(new PathRoots(run.RawInput, run), out var value) && value is JsonNumber n && n.TryGetInt64(out var v) && v > 0)
        {
            return value;
        }
        return StatesError.Runtime($"The TimeoutSecondsPath '{TimeoutSecondsPath.Text}' must select a positive integer in the state input");
    }

    private async ValueTask<Evaluated> InvokeAsync(StateRun run, JsonValue parameters, long? timeoutSeconds, CancellationToken cancellationToken)
    {
        var options = run.Run.Options;
        if (options.Mocks is { } mocks && mocks.IsMocked(Name))
        {
            return mocks.NextResponse(Name);
        }
        if (!options.Handlers.TryResolve(Resource, out var handler))
        {
            return StatesError.Runtime($"No handler is registered for the resource '{Resource}' of state '{Name}'. Register one, or run with a mock config that mocks this state.");
        }
        var invocation = new TaskInvocation(Resource, parameters, Name, run.Run.ExecutionArn, options.Region, options.AccountId);
        if (timeoutSeconds is null)
        {
            return await CallAsync(handler, invocation, cancellationToken);
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds.Value), run.Run.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var pending = CallAsync(handler, invocation, linked.Token);
            if (pending.IsCompleted)
            {
                return pending.Result; // a result that is already there wins over a timer that fired meanwhile
            }
            var call = pending.AsTask();
            await Task.WhenAny(call, Task.Delay(Timeout.InfiniteTimeSpan, linked.Token));
            if (call.IsCompletedSuccessfully || !timeout.IsCancellationRequested)
            {
                return await call;
            }
            cancellationToken.ThrowIfCancellationRequested();
            _ = call.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default); // observe a late failure of the abandoned call
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // the handler gave up when the timeout cancelled it
        }
        return Evaluated.Fail(ErrorNames.Timeout, $"The task of state '{Name}' did not finish within {timeoutSeconds} seconds.");
    }

    /// <summary>
    /// Calls a host handler. A handler that throws is treated as Lambda treats an unhandled exception:
    /// the exception's type name becomes the Error and its message the Cause.
    /// </summary>
    private static async ValueTask<Evaluated> CallAsync(ITaskHandler handler, TaskInvocation invocation, CancellationToken cancellationToken)
    {
        try
        {
            return await handler.InvokeAsync(invocation, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // a handler's unhandled exception is the task's failure, as in Lambda
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Evaluated.Fail(ex.GetType().Name, ex.Message);
        }
    }
}
