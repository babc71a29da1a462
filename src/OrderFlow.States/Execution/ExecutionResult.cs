using OrderFlow.States.History;
using OrderFlow.Json;

namespace OrderFlow.States.Execution;

/// <summary>Final status of an execution, named as DescribeExecution names it.</summary>
public enum ExecutionStatus { Succeeded, Failed, TimedOut, Aborted }

/// <summary>The outcome of one execution: its output or its error and cause, and its history.</summary>
public sealed record ExecutionResult(
    string ExecutionArn,
    string Name,
    ExecutionStatus Status,
    JsonValue? Output,
    StatesError? Error,
    DateTimeOffset StartDate,
    DateTimeOffset StopDate,
    IReadOnlyList<HistoryEvent> History)
{
    /// <summary>The Distributed Map runs of the execution, with their item counts.</summary>
    public IReadOnlyList<MapRunSummary> MapRuns { get; init; } = [];

    /// <summary>"SUCCEEDED", "FAILED", "TIMED_OUT" or "ABORTED".</summary>
    public string StatusText => Status switch
    {
        ExecutionStatus.Succeeded => "SUCCEEDED",
        ExecutionStatus.Failed => "FAILED",
        ExecutionStatus.TimedOut => "TIMED_OUT",
        _ => "ABORTED",
    };
}

/// <summary>
/// One Distributed Map run: its ARN, the state that ran it, how its child executions ended (<see cref="Total"/>,
/// <see cref="Succeeded"/>, <see cref="Failed"/>, <see cref="Pending"/>: DescribeMapRun's <c>executionCounts</c>) and
/// how many items those children processed (<see cref="ItemsSucceeded"/>, <see cref="ItemsFailed"/>: its
/// <c>itemCounts</c>; with an ItemBatcher a child processes a batch of items, otherwise one)
/// (https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeMapRun.html).
/// </summary>
public sealed record MapRunSummary(string MapRunArn, string StateName, string Status, long Total, long Succeeded, long Failed, long Pending)
{
    /// <summary>Items processed by child executions that succeeded.</summary>
    public long ItemsSucceeded { get; init; }

    /// <summary>Items processed by child executions that failed.</summary>
    public long ItemsFailed { get; init; }
}
