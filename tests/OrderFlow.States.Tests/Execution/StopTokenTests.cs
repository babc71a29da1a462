using OrderFlow.Json;
using OrderFlow.States.Execution;
using OrderFlow.States.Model;
using OrderFlow.States.Tasks;

namespace OrderFlow.States.Tests.Execution;

/// <summary>
/// <see cref="ExecutionOptions.StopToken"/>: an execution asked to stop does so before its next state; a Distributed Map
/// starts no more children and lets every child it started run to its end.
/// </summary>
public class StopTokenTests
{
    [Fact]
    public async Task RunAsync_StopRequestedBeforeTheStart_NoStateRunsAndTheRunEndsCancelled()
    {
        using var stop = new CancellationTokenSource();
        await stop.CancelAsync();
        var ran = 0;
        var handlers = new TaskHandlerRegistry().Register("arn:test:work", (task, ct) =>
        {
            Interlocked.Increment(ref ran);
            return ValueTask.FromResult(Evaluated.Ok(task.Parameters));
        });
        var machine = StateMachine.Parse("""{"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"arn:test:work","End":true}}}""");

        var stopped = await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            machine.RunAsync(JsonValue.Parse("{}"), new ExecutionOptions { Handlers = handlers, StopToken = stop.Token }));

        Assert.Equal(stop.Token, stopped.CancellationToken);
        Assert.Equal(0, ran);
    }

    [Fact]
    public async Task DistributedMap_StopRequestedMidRun_StartsNoMoreChildren_AndEveryStartedChildFinishes()
    {
        using var stop = new CancellationTokenSource();
        var started = 0;
        var finished = 0;
        var handlers = new TaskHandlerRegistry()
            .Register("arn:test:start", async (task, ct) =>
            {
                if (Interlocked.Increment(ref started) == 10)
                {
                    await stop.CancelAsync();
                }
                await Task.Yield();
                return Evaluated.Ok(task.Parameters);
            })
            .Register("arn:test:finish", (task, ct) =>
            {
                Interlocked.Increment(ref finished);
                return ValueTask.FromResult(Evaluated.Ok(task.Parameters));
            });
        // Two states per child: a stop that reached the children would end those in flight between them.
        var machine = StateMachine.Parse("""
            {"StartAt":"Map","States":{"Map":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":4,
              "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},"StartAt":"Start","States":{
                "Start":{"Type":"Task","Resource":"arn:test:start","Next":"Finish"},
                "Finish":{"Type":"Task","Resource":"arn:test:finish","End":true}}},
              "End":true}}}
            """);
        var input = JsonObject.Of("items", new JsonArray([.. Enumerable.Range(0, 1_000).Select(i => (JsonValue)JsonNumber.FromInt64(i))]));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            machine.RunAsync(input, new ExecutionOptions { Handlers = handlers, StopToken = stop.Token }));

        Assert.InRange(started, 10, 999);
        Assert.Equal(started, finished);
    }
}
