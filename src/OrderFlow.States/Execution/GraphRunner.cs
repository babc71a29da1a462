using OrderFlow.States.History;
using OrderFlow.Json;
using OrderFlow.States.Model;

namespace OrderFlow.States.Execution;

/// <summary>The state loop: runs a graph from its start until a terminal state or an error.</summary>
internal static class GraphRunner
{
    public static async ValueTask<Evaluated> RunAsync(StateGraph graph, JsonValue input, Frame frame, CancellationToken cancellationToken)
    {
        var state = graph.Start;
        var value = input;
        var time = frame.Run.Time;
        var stop = frame.Run.Options.StopToken;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            stop.ThrowIfCancellationRequested();
            if (frame.Run.History is { LimitReached: true } history)
            {
                return StatesError.Runtime($"The execution reached the limit of {history.MaxEvents:N0} history events. "
                    + "Use a Distributed Map for large item sets, or run with history off.");
            }
            var run = new StateRun(frame, state, value, time.GetUtcNow());
            if (frame.RecordsHistory)
            {
                frame.Record(state.Type + "StateEntered", "stateEnteredEventDetails", EventDetails.StateEntered(state.Name, value));
            }
            var outcome = await state.ExecuteAsync(run, cancellationToken);
            if (outcome.Error is { } error)
            {
                return error;
            }
            if (frame.Run.CheckSize(outcome.Output, "output", state.Name) is { } tooBig)
            {
                return tooBig;
            }
            if (frame.RecordsHistory)
            {
                frame.Record(state.Type + "StateExited", "stateExitedEventDetails", EventDetails.StateExited(state.Name, outcome.Output, run.Assigned));
            }
            if (outcome.Next is null)
            {
                return outcome.Output;
            }
            state = outcome.Next;
            value = outcome.Output;
        }
    }
}

/// <summary>
/// Runs numbered units of work (Map iterations, Parallel branches) with at most N at once, keeping results in order.
/// Work that completes synchronously runs inline, in order, with no scheduling cost; the first failure stops new work
/// and cancels what is still running.
/// </summary>
internal static class BoundedRunner
{
    public static async ValueTask<(JsonValue[] Results, StatesError? Error)> RunAsync(
        int count, int maxConcurrency, Func<int, CancellationToken, ValueTask<Evaluated>> body, CancellationToken cancellationToken)
    {
        var results = new JsonValue[count];
        StatesError? firstError = null;
        var gate = new Lock();
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pending = new List<Task>();

        void Complete(int index, Evaluated outcome)
        {
            if (!outcome.Failed)
            {
                results[index] = outcome.Value;
                return;
            }
            lock (gate)
            {
                firstError ??= outcome.Error;
            }
            abort.Cancel();
        }

        async Task Track(int index, ValueTask<Evaluated> work)
        {
            try
            {
                Complete(index, await work);
            }
            catch (OperationCanceledException) when (abort.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // aborted because a sibling failed
            }
        }

        for (var i = 0; i < count; i++)
        {
            if (firstError is not null)
            {
                break;
            }
            while (pending.Count >= maxConcurrency)
            {
                var done = await Task.WhenAny(pending);
                pending.Remove(done);
                await done;
            }
            if (firstError is not null)
            {
                break;
            }
            var work = body(i, abort.Token);
            if (work.IsCompletedSuccessfully)
            {
                Complete(i, work.Result);
            }
            else
            {
                pending.Add(Track(i, work));
            }
        }
        await Task.WhenAll(pending);
        cancellationToken.ThrowIfCancellationRequested();
        return (results, firstError);
    }
}
