using OrderFlow.States.Mocking;
using OrderFlow.States.Tasks;

namespace OrderFlow.States.Execution;

/// <summary>How one execution runs. Every member has a documented default; none is required.</summary>
public sealed record ExecutionOptions
{
    /// <summary>Handlers for Task states, by Resource ARN. Default: none (a Task without a handler or mock fails with States.Runtime).</summary>
    public TaskHandlerRegistry Handlers { get; init; } = new();

    /// <summary>Mocked Task responses for one test case of a mock config (Step Functions Local format). Default: none.</summary>
    public MockedTestCase? Mocks { get; init; }

    /// <summary>Clock for timestamps, Wait states, retry intervals and timeouts. Default: <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Randomness for jitter, States.MathRandom and States.UUID, and generated execution names. Default: system random.</summary>
    public IRandomSource Random { get; init; } = SystemRandomSource.Instance;

    /// <summary>
    /// Factor applied to every real wait (Wait states and retry intervals): 1 waits as AWS would, 0.01 waits a hundredth,
    /// 0 does not wait at all. Default: 1.
    /// </summary>
    public double WaitTimeScale { get; init; } = 1.0;

    /// <summary>Record the execution history (GetExecutionHistory shape). Default: true. Turn off for bulk runs.</summary>
    public bool RecordHistory { get; init; } = true;

    /// <summary>
    /// Most history events an execution may have; past it the execution fails with States.Runtime, as a Standard
    /// workflow does at its 25,000-event quota (an inline Map over a few thousand items reaches it). Applies only
    /// when <see cref="RecordHistory"/> is on. Default: 25,000.
    /// </summary>
    public int MaxHistoryEvents { get; init; } = History.HistoryRecorder.StandardLimit;

    /// <summary>Largest state input, output or task result, in bytes. Default: 262,144 (256 KiB, the Step Functions quota).</summary>
    public int MaxPayloadBytes { get; init; } = 256 * 1024;

    /// <summary>Name of the execution. Default: a random UUID.</summary>
    public string? ExecutionName { get; init; }

    /// <summary>Name of the state machine, used in ARNs and to select mocks. Default: "StateMachine".</summary>
    public string StateMachineName { get; init; } = "StateMachine";

    /// <summary>Region used in ARNs. Default: "us-east-1".</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>Account used in ARNs. Default: "123456789012".</summary>
    public string AccountId { get; init; } = "123456789012";

    /// <summary>Role reported in the context object and history. Default: a role ARN in <see cref="AccountId"/>.</summary>
    public string? RoleArn { get; init; }

    /// <summary>
    /// Largest number of inline Map iterations or Parallel branches running at once when the definition sets no limit.
    /// Default: 40, the Step Functions limit for inline Map states.
    /// </summary>
    public int DefaultMaxConcurrency { get; init; } = 40;

    /// <summary>
    /// The bucket Distributed Map states read items from (ItemReader) and write results to (ResultWriter).
    /// Default: none (such a Map fails with States.ItemReaderFailed or States.ResultWriterFailed, saying so).
    /// </summary>
    public Distributed.IObjectStore? ObjectStore { get; init; }

    /// <summary>
    /// Child executions of a Distributed Map running at once when the definition sets no MaxConcurrency.
    /// Default: 64 (AWS allows up to 10,000; in process, more than a few dozen only adds overhead).
    /// </summary>
    public int DefaultDistributedConcurrency { get; init; } = 64;

    /// <summary>
    /// Asks the execution to stop gently, where the cancellation token stops it at once: it stops before its next state,
    /// and a Distributed Map starts no more child executions and lets those running finish (each child's work stays
    /// whole: what it stored, it also recorded), then the execution ends with an <see cref="OperationCanceledException"/>
    /// for this token, to be reported as ABORTED. Child executions of a Distributed Map do not get it. Default: none.
    /// </summary>
    public CancellationToken StopToken { get; init; }

    /// <summary>
    /// Counts the child executions of Distributed Maps as they finish, for progress displays. Default: none.
    /// </summary>
    public Distributed.ChildCounter? ChildCounter { get; init; }
}
