using Microsoft.Extensions.Time.Testing;
using OrderFlow.States.Execution;
using OrderFlow.Json;
using OrderFlow.States.Tasks;
using OrderFlow.States.Tests.Support;
using static OrderFlow.States.Tests.Support.Engine;

namespace OrderFlow.States.Tests.Execution;

/// <summary>Retry timing and jitter, Catch routing, timeouts and the predefined errors' matching rules.</summary>
public class ErrorHandlingTests
{
    private const string Arn = "arn:aws:states:::lambda:invoke";

    /// <summary>A handler that fails with <paramref name="error"/> the first <paramref name="failures"/> times.</summary>
    private static (ExecutionOptions Options, Func<int> Calls) Flaky(int failures, string error, TimeProvider time, IRandomSource? random = null)
    {
        var calls = 0;
        var registry = new TaskHandlerRegistry().Register(Arn, (_, _) =>
        {
            var n = Interlocked.Increment(ref calls);
            return ValueTask.FromResult(n <= failures ? Evaluated.Fail(error, $"failure {n}") : Evaluated.Ok(new JsonString("done")));
        });
        return (new ExecutionOptions { Handlers = registry, TimeProvider = time, Random = random ?? new FixedRandom(0.5) }, () => calls);
    }

    private static string TaskWith(string retry, string catches = "[]") =>
        Single($"{{'Type':'Task','Resource':'{Arn}','Retry':{retry},'Catch':{catches},'End':true}}");

    [Fact]
    public async Task Retry_BackoffRate_WaitsIntervalTimesRatePowerAttempt()
    {
        var time = new InstantTimeProvider();
        var (options, calls) = Flaky(3, "Lambda.ServiceException", time);
        var output = await OutputAsync(TaskWith("[{'ErrorEquals':['Lambda.ServiceException'],'IntervalSeconds':2,'MaxAttempts':3,'BackoffRate':3}]"), "{}", options);
        Assert.Equal(new JsonString("done"), output);
        Assert.Equal(4, calls());
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(18)], time.Delays);
    }

    [Fact]
    public async Task Retry_Defaults_AreOneSecondThreeAttemptsRateTwo()
    {
        var time = new InstantTimeProvider();
        var (options, calls) = Flaky(10, "Boom", time);
        var error = await ErrorAsync(TaskWith("[{'ErrorEquals':['Boom']}]"), "{}", options);
        Assert.Equal("Boom", error.Error);
        Assert.Equal("failure 4", error.Cause);
        Assert.Equal(4, calls());
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], time.Delays);
    }

    [Fact]
    public async Task Retry_MaxDelaySeconds_CapsEveryInterval()
    {
        var time = new InstantTimeProvider();
        var (options, _) = Flaky(4, "Boom", time);
        await OutputAsync(TaskWith("[{'ErrorEquals':['Boom'],'IntervalSeconds':3,'MaxAttempts':5,'BackoffRate':2,'MaxDelaySeconds':10}]"), "{}", options);
        Assert.Equal([TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10)], time.Delays);
    }

    [Fact]
    public async Task Retry_FullJitter_ScalesIntervalByRandomFraction()
    {
        var time = new InstantTimeProvider();
        var (options, _) = Flaky(2, "Boom", time, new FixedRandom(0.25));
        await OutputAsync(TaskWith("[{'ErrorEquals':['Boom'],'IntervalSeconds':4,'BackoffRate':2,'JitterStrategy':'FULL'}]"), "{}", options);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], time.Delays);
    }

    [Fact]
    public async Task Retry_MaxAttemptsZero_NeverRetries()
    {
        var time = new InstantTimeProvider();
        var (options, calls) = Flaky(1, "Boom", time);
        var error = await ErrorAsync(TaskWith("[{'ErrorEquals':['Boom'],'MaxAttempts':0}]"), "{}", options);
        Assert.Equal("Boom", error.Error);
        Assert.Equal(1, calls());
        Assert.Empty(time.Delays);
    }

    [Fact]
    public async Task Retry_FirstMatchingRetrierIsUsed_EachWithItsOwnCounter()
    {
        var time = new InstantTimeProvider();
        var (options, calls) = Flaky(3, "Boom", time);
        var error = await ErrorAsync(TaskWith("[{'ErrorEquals':['Boom'],'MaxAttempts':1,'IntervalSeconds':5},{'ErrorEquals':['States.ALL'],'MaxAttempts':5}]"), "{}", options);
        Assert.Equal("Boom", error.Error);
        Assert.Equal(2, calls());
        Assert.Equal([TimeSpan.FromSeconds(5)], time.Delays);
    }

    [Fact]
    public async Task Retry_ContextRetryCount_CountsRetries()
    {
        var time = new InstantTimeProvider();
        var seen = new List<JsonValue>();
        var registry = new TaskHandlerRegistry().Register(Arn, (inv, _) =>
        {
            seen.Add(((JsonObject)inv.Parameters)["retry"]!);
            return ValueTask.FromResult(seen.Count < 3 ? Evaluated.Fail("Boom", "x") : Evaluated.Ok(JsonValue.True));
        });
        await OutputAsync(Single($"{{'Type':'Task','Resource':'{Arn}','Parameters':{{'retry.$':'$$.State.RetryCount'}},'Retry':[{{'ErrorEquals':['Boom']}}],'End':true}}"),
            "{}", new ExecutionOptions { Handlers = registry, TimeProvider = time });
        Assert.Equal([JsonNumber.FromInt64(0), JsonNumber.FromInt64(1), JsonNumber.FromInt64(2)], seen);
    }

    [Theory]
    [InlineData("CustomError", "['CustomError']", true)]
    [InlineData("CustomError", "['States.TaskFailed']", true)]
    [InlineData("CustomError", "['States.ALL']", true)]
    [InlineData("CustomError", "['Other']", false)]
    [InlineData("States.Timeout", "['States.TaskFailed']", false)]
    [InlineData("States.Timeout", "['States.Timeout']", true)]
    [InlineData("States.Timeout", "['States.ALL']", true)]
    [InlineData("States.Runtime", "['States.ALL']", false)]
    [InlineData("States.Runtime", "['States.Runtime']", false)]
    [InlineData("States.DataLimitExceeded", "['States.ALL']", false)]
    [InlineData("States.DataLimitExceeded", "['States.DataLimitExceeded']", true)]
    public async Task Catch_ErrorEquals_MatchesPerPredefinedErrorRules(string thrown, string errorEquals, bool caught)
    {
        var options = WithHandler(Arn, _ => Evaluated.Fail(thrown, "why"));
        var result = await RunAsync($$$$"""
            {'StartAt':'T','States':{'T':{'Type':'Task','Resource':'{{{{Arn}}}}','Catch':[{'ErrorEquals':{{{{errorEquals}}}},'Next':'Caught'}],'End':true},
             'Caught':{'Type':'Pass','End':true}}}
            """, "{}", options);
        Assert.Equal(caught ? ExecutionStatus.Succeeded : ExecutionStatus.Failed, result.Status);
    }

    [Fact]
    public async Task Catch_ResultPath_PlacesErrorOutputIntoRawInput_AndSkipsOutputPath()
    {
        var options = WithHandler(Arn, _ => Evaluated.Fail("ContactInfoNotFound", "{\"errorMessage\":\"no contact\"}"));
        var output = await OutputAsync($$$$"""
            {'StartAt':'T','States':{'T':{'Type':'Task','Resource':'{{{{Arn}}}}','InputPath':'$.order','OutputPath':'$.never',
              'Catch':[{'ErrorEquals':['Other'],'Next':'Wrong'},{'ErrorEquals':['States.TaskFailed'],'ResultPath':'$.error','Next':'Caught'}],'End':true},
             'Wrong':{'Type':'Fail'},'Caught':{'Type':'Pass','End':true}}}
            """, """{"order":{"id":"2"}}""", options);
        JsonEqual("""{"order":{"id":"2"},"error":{"Error":"ContactInfoNotFound","Cause":"{\"errorMessage\":\"no contact\"}"}}""", output);
    }

    [Fact]
    public async Task Catch_NoResultPath_ErrorOutputReplacesInput()
    {
        var options = WithHandler(Arn, _ => Evaluated.Fail("E", "C"));
        var output = await OutputAsync($$$$"""
            {'StartAt':'T','States':{'T':{'Type':'Task','Resource':'{{{{Arn}}}}','Catch':[{'ErrorEquals':['States.ALL'],'Next':'Caught'}],'End':true},
             'Caught':{'Type':'Pass','End':true}}}
            """, """{"x":1}""", options);
        JsonEqual("""{"Error":"E","Cause":"C"}""", output);
    }

    [Fact]
    public async Task Retry_ThenCatch_CatchAppliesAfterRetriesAreExhausted()
    {
        var time = new InstantTimeProvider();
        var (options, calls) = Flaky(10, "Boom", time);
        var output = await OutputAsync($$$$"""
            {'StartAt':'T','States':{'T':{'Type':'Task','Resource':'{{{{Arn}}}}','Retry':[{'ErrorEquals':['Boom'],'MaxAttempts':2}],
              'Catch':[{'ErrorEquals':['Boom'],'ResultPath':null,'Next':'Caught'}],'End':true},'Caught':{'Type':'Pass','Result':'caught','End':true}}}
            """, "{}", options);
        Assert.Equal(new JsonString("caught"), output);
        Assert.Equal(3, calls());
    }

    [Fact]
    public async Task Task_TimeoutSeconds_FailsWithStatesTimeout()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var registry = new TaskHandlerRegistry().Register(Arn, async (_, ct) =>
        {
            await Task.Delay(TimeSpan.FromMinutes(10), time, ct);
            return Evaluated.Ok(JsonValue.True);
        });
        var run = Machine(Single($"{{'Type':'Task','Resource':'{Arn}','TimeoutSeconds':5,'End':true}}"))
            .RunAsync(JsonObject.Empty, new ExecutionOptions { Handlers = registry, TimeProvider = time });
        for (var i = 0; i < 1000 && !run.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }
        var result = await run;
        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(ErrorNames.Timeout, result.Error!.Error);
        Assert.Contains(result.History, e => e.Type == "TaskTimedOut");
    }

    [Fact]
    public async Task Task_TimeoutSecondsPath_IsReadFromInput()
    {
        var output = await OutputAsync(Single($"{{'Type':'Task','Resource':'{Arn}','TimeoutSecondsPath':'$.limit','End':true}}"),
            """{"limit":30}""", WithHandler(Arn, _ => new JsonString("fast")));
        Assert.Equal(new JsonString("fast"), output);
        var error = await ErrorAsync(Single($"{{'Type':'Task','Resource':'{Arn}','TimeoutSecondsPath':'$.limit','End':true}}"),
            """{"limit":"soon"}""", WithHandler(Arn, _ => new JsonString("fast")));
        Assert.Equal(ErrorNames.Runtime, error.Error);
    }

    [Fact]
    public async Task Task_HandlerThrows_FailsWithExceptionTypeAsError()
    {
        var options = WithHandler(Arn, _ => throw new InvalidOperationException("handler broke"));
        var error = await ErrorAsync(Single($"{{'Type':'Task','Resource':'{Arn}','End':true}}"), "{}", options);
        Assert.Equal("InvalidOperationException", error.Error);
        Assert.Equal("handler broke", error.Cause);
    }

    [Fact]
    public async Task Task_NoHandlerForResource_FailsWithRuntimeNamingResource()
    {
        var error = await ErrorAsync(Single("{'Type':'Task','Resource':'arn:aws:states:::sqs:sendMessage','End':true}"));
        Assert.Equal(ErrorNames.Runtime, error.Error);
        Assert.Contains("arn:aws:states:::sqs:sendMessage", error.Cause);
    }

    [Fact]
    public async Task Execution_TimeoutSeconds_TimesOut()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var run = Machine("{'TimeoutSeconds':3,'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':60,'End':true}}}")
            .RunAsync(JsonObject.Empty, new ExecutionOptions { TimeProvider = time });
        for (var i = 0; i < 100 && !run.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }
        var result = await run;
        Assert.Equal(ExecutionStatus.TimedOut, result.Status);
        Assert.Equal(ErrorNames.Timeout, result.Error!.Error);
        Assert.Equal("ExecutionTimedOut", result.History[^1].Type);
    }
}
