using System.Globalization;
using System.Text;
using OrderFlow.Json;
using OrderFlow.Local;
using OrderFlow.States.Distributed;

namespace OrderFlow.Cli.Commands;

/// <summary>
/// <c>orderflow dlq redrive --all</c>: every rejected order in the queue run through the pipeline again, together, as
/// one JSON Lines file (one execution, not one per message). Once the run has succeeded, the messages it took are
/// deleted: a redriven order is now stored (or was already), or it is rejected again and the run sent a new message with
/// its current reasons. When the run fails, no message is deleted, and running it again is safe: orders stored the first
/// time count as duplicates.
/// </summary>
internal static class DlqRedriveAll
{
    /// <param name="only">Which rejected orders to take (<c>--file</c>, <c>--reason</c>, <c>--order-id</c>); the others stay in the queue.</param>
    public static async Task<int> RunAsync(LocalCloud cloud, ChildCounter counter, DlqFilter only, CancellationToken cancellationToken)
    {
        var file = Path.Combine(Path.GetTempPath(), $"orderflow-redrive-{Guid.NewGuid():N}.jsonl");
        // The ids of the messages taken, a line each, beside their orders: a million ids would hold 100 MB in memory.
        var ids = Path.ChangeExtension(file, ".ids");
        await using var queue = new RejectedQueue(cloud);
        try
        {
            long taken;
            int foreign, unchosen;
            try
            {
                (taken, foreign, unchosen) = await WriteOrdersAsync(queue, file, ids, only, cancellationToken);
            }
            catch (RejectedQueueException ex)
            {
                return await DlqCommands.CannotReadAsync(ex);
            }
            var left = (foreign > 0 ? $"; {foreign} message(s) not from the pipeline left as they are" : string.Empty)
                + (unchosen > 0 ? $"; {unchosen} rejected order(s) not chosen by {only.Describe()} left in the queue" : string.Empty);
            if (taken == 0)
            {
                await Console.Out.WriteLineAsync($"No rejected orders to redrive{left}.");
                return CliHost.Ok;
            }
            var tally = new Tally();
            var key = $"redrive/all-{DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture)}.jsonl";
            try
            {
                using var stopping = cancellationToken.Register(cloud.StopExecutions);
                await CliProgress.RunAsync("orders redriven", taken, async progress =>
                {
                    var before = counter.Completed;
                    using var poll = CliProgress.Poll(progress, () => counter.Completed - before);
                    await ProcessCommand.ProcessFileAsync(cloud, file, key, tally, cancellationToken);
                    return true;
                });
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync("interrupted: no message was deleted; run it again to finish (orders stored meanwhile count as already stored).");
                return CliHost.Interrupted;
            }
            if (tally.Failure is { } failure)
            {
                await Console.Error.WriteLineAsync($"The redrive run failed ({failure}); no message was deleted: run it again.");
                return CliHost.Failed;
            }
            try
            {
                await queue.DeleteAsync(File.ReadLines(ids), cancellationToken);
            }
            catch (RejectedQueueException ex)
            {
                // The run succeeded: what it took is stored, or rejected again with a new message beside the old one.
                await Console.Error.WriteLineAsync($"The orders were redriven, but {ex.Message}; those messages stay beside their new ones.");
                return CliHost.Failed;
            }
            var stillRejected = tally.Rejected;
            await Console.Out.WriteLineAsync(
                $"redriven {taken} order(s): stored {tally.Stored}, already stored {tally.Duplicates}, still rejected {stillRejected}"
                + (stillRejected > 0 ? " (their messages replaced by ones with the current reasons: orderflow dlq list)" : string.Empty)
                + left);
            return stillRejected > 0 ? CliHost.Failed : CliHost.Ok;
        }
        finally
        {
            File.Delete(file);
            File.Delete(ids);
        }
    }

    /// <summary>
    /// Writes the order of every chosen message in the queue now, one per line, and the ids of those messages to
    /// <paramref name="ids"/>, one per line; how many were chosen, how many held no order, and how many the filter left out.
    /// </summary>
    private static async Task<(long Taken, int Foreign, int Unchosen)> WriteOrdersAsync(RejectedQueue queue, string file, string ids, DlqFilter only, CancellationToken cancellationToken)
    {
        var taken = 0L;
        var foreign = 0;
        var unchosen = 0;
        await using var writer = new StreamWriter(file, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        await using var idWriter = new StreamWriter(ids, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        await foreach (var received in queue.ReadAsync(1000, cancellationToken))
        {
            var message = new RejectedMessage(received);
            // Only the pipeline's messages carry the order; anything else sent to the queue stays there.
            if (message.Body["order"] is not { } order)
            {
                foreign++;
                continue;
            }
            if (!only.Matches(message))
            {
                unchosen++;
                continue;
            }
            await writer.WriteLineAsync(order.ToJsonString().AsMemory(), cancellationToken);
            await idWriter.WriteLineAsync(message.MessageId.AsMemory(), cancellationToken);
            taken++;
        }
        return (taken, foreign, unchosen);
    }
}
