using System.Globalization;
using OrderFlow.States.History;
using OrderFlow.Json;
using OrderFlow.States.Model;

namespace OrderFlow.States.Execution;

/// <summary>Everything one execution shares across its states: options, identity, history. Created per run.</summary>
internal sealed class ExecutionRun
{
    public ExecutionRun(StateMachine machine, JsonValue input, ExecutionOptions options, string name)
    {
        Machine = machine;
        Options = options;
        Name = name;
        Input = input;
        StartTime = options.TimeProvider.GetUtcNow();
        StateMachineArn = $"arn:aws:states:{options.Region}:{options.AccountId}:stateMachine:{options.StateMachineName}";
        ExecutionArn = $"arn:aws:states:{options.Region}:{options.AccountId}:execution:{options.StateMachineName}:{name}";
        RoleArn = options.RoleArn ?? $"arn:aws:iam::{options.AccountId}:role/{options.StateMachineName}-role";
        History = options.RecordHistory ? new HistoryRecorder(options.TimeProvider, options.MaxHistoryEvents) : null;
    }

    private JsonObject? _executionContext;
    private JsonObject? _stateMachineContext;

    public StateMachine Machine { get; }

    public ExecutionOptions Options { get; }

    public string Name { get; }

    public JsonValue Input { get; }

    public DateTimeOffset StartTime { get; }

    public string StateMachineArn { get; }

    public string ExecutionArn { get; }

    public string RoleArn { get; }

    public HistoryRecorder? History { get; }

    /// <summary>The <c>$$.Execution</c> object, built the first time a path reads it.</summary>
    public JsonObject ExecutionContext => _executionContext ??= new JsonObjectBuilder(6)
        .Set("Id", ExecutionArn)
        .Set("Input", Input)
        .Set("Name", Name)
        .Set("RoleArn", RoleArn)
        .Set("StartTime", FormatTime(StartTime))
        .Set("RedriveCount", 0)
        .Build();

    /// <summary>The <c>$$.StateMachine</c> object, built the first time a path reads it.</summary>
    public JsonObject StateMachineContext => _stateMachineContext ??= new JsonObjectBuilder(2).Set("Id", StateMachineArn).Set("Name", Options.StateMachineName).Build();

    /// <summary>Summaries of the Distributed Map runs of this execution.</summary>
    public List<MapRunSummary> MapRuns { get; } = [];

    public TimeProvider Time => Options.TimeProvider;

    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Waits <paramref name="delay"/> scaled by <see cref="ExecutionOptions.WaitTimeScale"/>, on the injected clock.</summary>
    public Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        var scaled = delay * Options.WaitTimeScale;
        return scaled <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(scaled, Time, cancellationToken);
    }

    /// <summary>
    /// States.DataLimitExceeded when a payload is over the quota. <paramref name="what"/> names the payload ("output"),
    /// <paramref name="stateName"/> the state it belongs to, if any; the message is built only for an error.
    /// </summary>
    public StatesError? CheckSize(JsonValue value, string what, string? stateName = null)
    {
        var size = value.Utf8Size;
        if (size <= Options.MaxPayloadBytes)
        {
            return null;
        }
        var payload = stateName is null ? what : $"{what} of state '{stateName}'";
        return new StatesError(ErrorNames.DataLimitExceeded,
            $"The {payload} has a size of {size} bytes, which exceeds the maximum size of {Options.MaxPayloadBytes} bytes.");
    }
}

/// <summary>
/// One run of a graph of states: the top-level machine, a Parallel branch or a Map iteration. Holds its variable
/// scope and the id of its last history event, so that events chain through previousEventId.
/// </summary>
internal sealed class Frame(ExecutionRun run, VariableScope variables, long lastEventId)
{
    public ExecutionRun Run { get; } = run;

    public VariableScope Variables { get; } = variables;

    public long LastEventId { get; set; } = lastEventId;

    public Frame Child(long lastEventId) => new(Run, new VariableScope(Variables), lastEventId);

    public void Record(string type, string? detailsName = null, JsonObject? details = null)
    {
        if (Run.History is { } history)
        {
            LastEventId = history.Add(LastEventId, type, detailsName, details);
        }
    }

    public bool RecordsHistory => Run.History is not null;
}
