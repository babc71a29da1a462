using OrderFlow.States.Execution;
using OrderFlow.States.History;
using OrderFlow.Json;
using OrderFlow.States.Tests.Support;
using static OrderFlow.States.Tests.Support.Engine;

namespace OrderFlow.States.Tests.History;

/// <summary>The history has the GetExecutionHistory shape: ids, previousEventId chains, types and *EventDetails.</summary>
public class ExecutionHistoryTests
{
    private static async Task<IReadOnlyList<HistoryEvent>> HistoryOf(string definition, string input = "{}", ExecutionOptions? options = null)
    {
        var result = await RunAsync(definition, input, (options ?? new ExecutionOptions()) with { TimeProvider = new InstantTimeProvider(), WaitTimeScale = 0 });
        return result.History;
    }

    private static string[] Types(IReadOnlyList<HistoryEvent> events) => [.. events.Select(e => e.Type)];

    [Fact]
    public async Task History_PassChain_HasStartedEnteredExitedSucceeded_WithChainedIds()
    {
        var events = await HistoryOf("{'StartAt':'A','States':{'A':{'Type':'Pass','Next':'B'},'B':{'Type':'Pass','Result':1,'End':true}}}", """{"x":1}""");
        Assert.Equal(["ExecutionStarted", "PassStateEntered", "PassStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"], Types(events));
        for (var i = 0; i < events.Count; i++)
        {
            Assert.Equal(i + 1, events[i].Id);
            Assert.Equal(i, events[i].PreviousEventId);
        }
        var entered = events[1].ToJson();
        JsonEqual("""{"name":"A","input":"{\"x\":1}","inputDetails":{"truncated":false}}""", entered["stateEnteredEventDetails"]!);
        Assert.Equal("2026-01-01T00:00:00.000Z", ((JsonString)entered["timestamp"]!).Value);
        JsonEqual("""{"output":"1","outputDetails":{"truncated":false}}""", events[^1].ToJson()["executionSucceededEventDetails"]!);
        var started = (JsonObject)events[0].ToJson()["executionStartedEventDetails"]!;
        Assert.Equal(J("\"{\\\"x\\\":1}\""), started["input"]);
        Assert.True(started.ContainsKey("roleArn"));
    }

    [Fact]
    public async Task History_Task_HasScheduledStartedSucceededWithResourceDetails()
    {
        var events = await HistoryOf(Single("{'Type':'Task','Resource':'arn:aws:states:::lambda:invoke','Parameters':{'FunctionName':'f'},'TimeoutSeconds':30,'End':true}"), "{}",
            WithHandler("arn:aws:states:::lambda:invoke", _ => J("""{"Payload":1}""")));
        Assert.Equal(["ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"], Types(events));
        JsonEqual("""{"resourceType":"lambda","resource":"invoke","region":"us-east-1","parameters":"{\"FunctionName\":\"f\"}","timeoutInSeconds":30}""",
            events[2].ToJson()["taskScheduledEventDetails"]!);
        JsonEqual("""{"resourceType":"lambda","resource":"invoke","output":"{\"Payload\":1}","outputDetails":{"truncated":false}}""",
            events[4].ToJson()["taskSucceededEventDetails"]!);
    }

    [Fact]
    public async Task History_TaskFailure_HasTaskFailedAndExecutionFailedWithErrorAndCause()
    {
        var events = await HistoryOf(Single("{'Type':'Task','Resource':'arn:aws:states:::lambda:invoke','End':true}"), "{}",
            WithHandler("arn:aws:states:::lambda:invoke", _ => Evaluated.Fail("Boom", "because")));
        Assert.Equal(["ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskFailed", "ExecutionFailed"], Types(events));
        JsonEqual("""{"resourceType":"lambda","resource":"invoke","error":"Boom","cause":"because"}""", events[4].ToJson()["taskFailedEventDetails"]!);
        JsonEqual("""{"error":"Boom","cause":"because"}""", events[5].ToJson()["executionFailedEventDetails"]!);
    }

    [Fact]
    public async Task History_Map_HasStartedIterationsAndSucceeded_IterationEventsChainToTheirStart()
    {
        var events = await HistoryOf(Single("{'Type':'Map','MaxConcurrency':1,'ItemProcessor':{'StartAt':'P','States':{'P':{'Type':'Pass','End':true}}},'End':true}"), "[10,20]");
        Assert.Equal([
            "ExecutionStarted", "MapStateEntered", "MapStateStarted",
            "MapIterationStarted", "PassStateEntered", "PassStateExited", "MapIterationSucceeded",
            "MapIterationStarted", "PassStateEntered", "PassStateExited", "MapIterationSucceeded",
            "MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"], Types(events));
        JsonEqual("""{"length":2}""", events[2].ToJson()["mapStateStartedEventDetails"]!);
        JsonEqual("""{"name":"S","index":1}""", events[7].ToJson()["mapIterationStartedEventDetails"]!);
        Assert.Equal(events[3].Id, events[4].PreviousEventId);
        Assert.Equal(events[7].Id, events[8].PreviousEventId);
    }

    [Fact]
    public async Task History_ParallelAndChoice_HaveTheirEventTypes()
    {
        var events = await HistoryOf("""
            {'StartAt':'P','States':{'P':{'Type':'Parallel','Branches':[{'StartAt':'C','States':{'C':{'Type':'Choice',
              'Choices':[{'Variable':'$.x','IsPresent':true,'Next':'W'}],'Default':'W'},'W':{'Type':'Wait','Seconds':1,'End':true}}}],'End':true}}}
            """);
        Assert.Equal([
            "ExecutionStarted", "ParallelStateEntered", "ParallelStateStarted", "ChoiceStateEntered", "ChoiceStateExited",
            "WaitStateEntered", "WaitStateExited", "ParallelStateSucceeded", "ParallelStateExited", "ExecutionSucceeded"], Types(events));
    }

    [Fact]
    public async Task History_FailState_HasFailStateEnteredThenExecutionFailed()
    {
        var events = await HistoryOf(Single("{'Type':'Fail','Error':'E','Cause':'C'}"));
        Assert.Equal(["ExecutionStarted", "FailStateEntered", "ExecutionFailed"], Types(events));
    }

    [Fact]
    public async Task History_StateExited_ListsAssignedVariables()
    {
        var events = await HistoryOf(Single("{'Type':'Pass','Assign':{'x':1,'y':'two'},'End':true}"));
        JsonEqual("""{"x":"1","y":"\"two\""}""", events[2].ToJson()["stateExitedEventDetails"]!.Let(d => ((JsonObject)d)["assignedVariables"]!));
    }

    [Fact]
    public async Task History_RecordHistoryOff_RecordsNothing()
    {
        var result = await RunAsync(Single("{'Type':'Pass','End':true}"), "{}", new ExecutionOptions { RecordHistory = false });
        Assert.Empty(result.History);
    }
}

internal static class JsonTestExtensions
{
    public static TOut Let<TIn, TOut>(this TIn value, Func<TIn, TOut> map) => map(value);
}

public class HistoryLimitTests
{
    [Fact]
    public async Task InlineMap_PastTheHistoryLimit_FailsWithRuntime_AsAStandardWorkflowDoes()
    {
        var items = "[" + string.Join(",", Enumerable.Range(0, 100)) + "]";
        var result = await Engine.RunAsync(Engine.Single("{'Type':'Map','ItemProcessor':{'StartAt':'P','States':{'P':{'Type':'Pass','End':true}}},'End':true}"),
            items, new ExecutionOptions { MaxHistoryEvents = 50, WaitTimeScale = 0 });
        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(ErrorNames.Runtime, result.Error!.Error);
        Assert.Contains("limit of 50 history events", result.Error.Cause, StringComparison.Ordinal);
        Assert.True(result.History.Count <= 51);
        Assert.Equal("ExecutionFailed", result.History[^1].Type);
    }

    [Fact]
    public async Task HistoryOff_HasNoLimit()
    {
        var items = "[" + string.Join(",", Enumerable.Range(0, 100)) + "]";
        var result = await Engine.RunAsync(Engine.Single("{'Type':'Map','ItemProcessor':{'StartAt':'P','States':{'P':{'Type':'Pass','End':true}}},'End':true}"),
            items, new ExecutionOptions { MaxHistoryEvents = 50, RecordHistory = false });
        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
    }
}
