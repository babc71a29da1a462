using System.Runtime.CompilerServices;
using OrderFlow.Json;
using OrderFlow.Local;
using OrderFlow.Local.Storage;

namespace OrderFlow.Cli.Commands;

/// <summary>
/// The rejected-orders queue as the <c>dlq</c> commands read it: nothing is taken out but what <c>dlq redrive</c> has
/// handled (<see cref="DeleteAsync"/>). The embedded queue lists its messages as they are. SQS cannot list a queue:
/// there each message is received with a visibility timeout long enough for the whole read, so that no message comes
/// twice, and every message received and not deleted is made visible again when the reader is disposed, as the AWS
/// console's "poll for messages" leaves them
/// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html). Each such
/// read counts as a receive of the message (its ApproximateReceiveCount grows).
/// </summary>
internal sealed class RejectedQueue(LocalCloud cloud) : IAsyncDisposable
{
    /// <summary>How long a message received from SQS stays hidden, at most, should the read end without making it visible again.</summary>
    public const int VisibilityTimeoutSeconds = 600;

    // SQS short polling samples some of its servers: an empty answer does not prove an empty queue, so the read ends
    // after this many answers in a row without a new message, each waiting up to a second (long polling).
    private const int EmptyReceivesToEnd = 2;

    // Each message received from SQS by its id, with the handle of its latest receipt (the one SQS honours).
    private readonly Dictionary<string, string> _received = new(StringComparer.Ordinal);
    private string? _url;

    // The embedded queue deletes this many messages in one write.
    private const int DeletesPerWrite = 1000;

    /// <summary>The queue's messages, oldest first where the queue keeps an order, each once; an error ends the read as <see cref="RejectedQueueException"/>.</summary>
    public async IAsyncEnumerable<JsonObject> ReadAsync(int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!cloud.IsRemote)
        {
            foreach (var message in cloud.Queues.PeekAll(PipelineSetup.RejectedQueue, pageSize))
            {
                yield return message;
            }
            yield break;
        }
        var url = await UrlAsync(cancellationToken);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var empty = 0; empty < EmptyReceivesToEnd;)
        {
            var request = new JsonObjectBuilder(5).Set("QueueUrl", url).Set("MaxNumberOfMessages", 10)
                .Set("VisibilityTimeout", VisibilityTimeoutSeconds).Set("WaitTimeSeconds", 1)
                .Set("MessageSystemAttributeNames", new JsonArray([new JsonString("All")])).Build();
            var messages = Checked(await cloud.QueueService.ExecuteAsync("ReceiveMessage", request, cancellationToken))["Messages"] as JsonArray ?? JsonArray.Empty;
            // Every handle is kept before the first message is handed out: a reader that stops early (show, --limit)
            // must not leave the rest of the batch hidden.
            foreach (var message in messages.OfType<JsonObject>())
            {
                if (message["MessageId"] is JsonString id && message["ReceiptHandle"] is JsonString handle)
                {
                    _received[id.Value] = handle.Value;
                }
            }
            var fresh = 0;
            foreach (var message in messages.OfType<JsonObject>())
            {
                if (message["MessageId"] is JsonString id && seen.Add(id.Value))
                {
                    fresh++;
                    yield return message;
                }
            }
            empty = fresh == 0 ? empty + 1 : 0;
        }
    }

    /// <summary>The message with this id, or null.</summary>
    public async Task<JsonObject?> FindAsync(string messageId, CancellationToken cancellationToken)
    {
        if (!cloud.IsRemote)
        {
            return cloud.Queues.PeekById(PipelineSetup.RejectedQueue, messageId);
        }
        await foreach (var message in ReadAsync(1000, cancellationToken))
        {
            if (message["MessageId"] is JsonString id && id.Value == messageId)
            {
                return message;
            }
        }
        return null;
    }

    /// <summary>
    /// Deletes these messages (read by this reader, when the queue is SQS), taking the ids as it goes; an error, or
    /// messages the queue would not delete, as <see cref="RejectedQueueException"/>.
    /// </summary>
    public async Task DeleteAsync(IEnumerable<string> messageIds, CancellationToken cancellationToken)
    {
        if (!cloud.IsRemote)
        {
            foreach (var chunk in messageIds.Chunk(DeletesPerWrite))
            {
                await cloud.Queues.DeleteByIdsAsync(PipelineSetup.RejectedQueue, chunk, cancellationToken);
            }
            return;
        }
        var refused = 0;
        string? why = null;
        foreach (var batch in messageIds.Chunk(10))
        {
            var entries = batch.Select((id, n) => (JsonValue)new JsonObjectBuilder(2).Set("Id", $"m{n}").Set("ReceiptHandle", _received[id]).Build());
            var request = new JsonObjectBuilder(2).Set("QueueUrl", _url!).Set("Entries", new JsonArray([.. entries])).Build();
            var deleted = Checked(await cloud.QueueService.ExecuteAsync("DeleteMessageBatch", request, cancellationToken));
            var failed = (deleted["Failed"] as JsonArray ?? JsonArray.Empty).OfType<JsonObject>().ToList();
            var failedEntries = failed.Select(f => f["Id"] is JsonString id ? id.Value : string.Empty).ToHashSet(StringComparer.Ordinal);
            for (var n = 0; n < batch.Length; n++)
            {
                if (!failedEntries.Contains($"m{n}"))
                {
                    _received.Remove(batch[n]); // gone: nothing to make visible again
                }
            }
            refused += failed.Count;
            why ??= failed.Select(f => f["Message"]).OfType<JsonString>().Select(m => m.Value).FirstOrDefault();
        }
        if (refused > 0)
        {
            throw new RejectedQueueException($"{refused} message(s) could not be deleted: {why ?? "refused by the queue"}");
        }
    }

    private async Task<string> UrlAsync(CancellationToken cancellationToken)
    {
        var request = new JsonObjectBuilder(1).Set("QueueName", PipelineSetup.RejectedQueue).Build();
        return _url ??= Checked(await cloud.QueueService.ExecuteAsync("GetQueueUrl", request, cancellationToken))["QueueUrl"] is JsonString url
            ? url.Value
            : throw new RejectedQueueException($"The queue {PipelineSetup.RejectedQueue} has no URL.");
    }

    private static JsonObject Checked(ServiceResult<JsonObject> result) =>
        result.Failed ? throw new RejectedQueueException($"{result.Error!.Code}: {result.Error.Message}") : result.Value;

    /// <summary>Makes every message received from SQS visible again, ten to a request.</summary>
    public async ValueTask DisposeAsync()
    {
        var hidden = 0;
        string? why = null;
        foreach (var batch in _received.Values.Chunk(10))
        {
            var entries = batch.Select((handle, n) => (JsonValue)new JsonObjectBuilder(3)
                .Set("Id", $"m{n}").Set("ReceiptHandle", handle).Set("VisibilityTimeout", 0).Build());
            var request = new JsonObjectBuilder(2).Set("QueueUrl", _url!).Set("Entries", new JsonArray([.. entries])).Build();
            // Not cancellable: the messages would stay hidden for the visibility timeout.
            var changed = await cloud.QueueService.ExecuteAsync("ChangeMessageVisibilityBatch", request, CancellationToken.None);
            if (changed.Failed)
            {
                hidden += batch.Length;
                why ??= $"{changed.Error!.Code}: {changed.Error.Message}";
            }
            else if (changed.Value["Failed"] is JsonArray { Count: > 0 } refused)
            {
                hidden += refused.Count;
                why ??= (refused[0] as JsonObject)?["Message"] is JsonString message ? message.Value : "refused by the queue";
            }
        }
        _received.Clear();
        if (hidden > 0)
        {
            await Console.Error.WriteLineAsync($"{hidden} message(s) stay hidden for up to {VisibilityTimeoutSeconds / 60} minutes: {why}");
        }
    }
}

/// <summary>The queue could not be read (the endpoint unreachable, the queue missing): said in words by the command.</summary>
internal sealed class RejectedQueueException(string message) : Exception(message);
