using OrderFlow.Json;
using OrderFlow.Local;

namespace OrderFlow.Cli.Commands;

/// <summary>
/// <c>orderflow dlq redrive ID... [--order FIXED.json]</c>: each rejected order run through the pipeline again, as it
/// was or corrected, in a run of its own. Its message is deleted once the run has handled the order: stored (or found
/// stored already), or rejected again, the run having sent a new message with the current reasons. A run that fails
/// deletes nothing, so the order is never lost.
/// </summary>
internal static class DlqRedriveOne
{
    public static async Task<int> RunAsync(LocalCloud cloud, IReadOnlyList<string> messageIds, string? fixedOrder, CancellationToken cancellationToken)
    {
        await using var queue = new RejectedQueue(cloud);
        var exit = CliHost.Ok;
        foreach (var id in messageIds)
        {
            JsonObject? message;
            try
            {
                message = await queue.FindAsync(id, cancellationToken);
            }
            catch (RejectedQueueException ex)
            {
                return await DlqCommands.CannotReadAsync(ex);
            }
            if (message is null)
            {
                await Console.Error.WriteLineAsync($"{id}: no such rejected order");
                exit = CliHost.Failed;
                continue;
            }
            JsonValue order;
            try
            {
                order = fixedOrder is not null ? JsonValue.Parse(await File.ReadAllTextAsync(fixedOrder, cancellationToken)) : RejectedMessage.BodyOf(message)["order"] ?? JsonValue.Null;
            }
            catch (Exception ex) when (ex is IOException or JsonParseException)
            {
                await Console.Error.WriteLineAsync($"{id}: cannot read the corrected order: {ex.Message}");
                return CliHost.Invalid;
            }
            var outcome = await RunOrderAsync(cloud, id, order, cancellationToken);
            if (outcome is null)
            {
                exit = CliHost.Failed;
                continue;
            }
            try
            {
                await queue.DeleteAsync([id], cancellationToken);
            }
            catch (RejectedQueueException ex)
            {
                await Console.Error.WriteLineAsync($"{id}: {outcome}, but its message could not be deleted: {ex.Message}");
                exit = CliHost.Failed;
                continue;
            }
            await Console.Out.WriteLineAsync($"{id}: {outcome}");
            if (outcome.StartsWith("still rejected", StringComparison.Ordinal))
            {
                exit = CliHost.Failed;
            }
        }
        return exit;
    }

    /// <summary>Runs one order through the pipeline; what became of it, or null (said on stderr) when the run failed.</summary>
    private static async Task<string?> RunOrderAsync(LocalCloud cloud, string id, JsonValue order, CancellationToken cancellationToken)
    {
        var file = Path.Combine(Path.GetTempPath(), $"orderflow-redrive-{Guid.NewGuid():N}.json");
        var tally = new Tally();
        try
        {
            await File.WriteAllTextAsync(file, new JsonArray([order]).ToJsonString(), cancellationToken);
            await ProcessCommand.ProcessFileAsync(cloud, file, $"redrive/{id}-{DateTime.UtcNow:yyyyMMddHHmmssfff}.json", tally, cancellationToken);
        }
        finally
        {
            File.Delete(file);
        }
        if (tally.Stored + tally.Duplicates == 1)
        {
            return $"stored{(tally.Duplicates == 1 ? " (it already was)" : string.Empty)}; the message is deleted";
        }
        if (tally.Rejected == 1)
        {
            // The run sent a new message with the current reasons; the old one would only repeat stale ones.
            return "still rejected; the message is replaced by one with the current reasons (orderflow dlq list)";
        }
        await Console.Error.WriteLineAsync($"{id}: the redrive run failed ({tally.Failure}); the message stays in the queue: run it again.");
        return null;
    }
}
