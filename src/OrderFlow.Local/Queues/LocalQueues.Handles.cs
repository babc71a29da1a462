using Microsoft.Data.Sqlite;
using OrderFlow.Json;
using OrderFlow.Local.Storage;

namespace OrderFlow.Local.Queues;

/// <summary>Operations on received messages, purging, and moving messages out of a dead-letter queue.</summary>
public sealed partial class LocalQueues
{
    private static readonly ServiceError InvalidHandle = new("ReceiptHandleIsInvalid", "The input receipt handle is invalid.");

    private async Task<ServiceResult<JsonObject>> DeleteAsync(JsonObject request, CancellationToken cancellationToken)
    {
        var queue = Queue(request);
        if (queue.Failed)
        {
            return queue.Error!;
        }
        if (request["ReceiptHandle"] is not JsonString handle)
        {
            return InvalidHandle;
        }
        var deleted = await database.WriteAsync(connection => DeleteByHandle(connection, queue.Value.Name, handle.Value), cancellationToken);
        // SQS accepts a stale handle of a message already deleted; only a handle it never issued is an error.
        return deleted || LooksIssued(handle.Value) ? JsonObject.Empty : InvalidHandle;
    }

    private async Task<ServiceResult<JsonObject>> DeleteBatchAsync(JsonObject request, CancellationToken cancellationToken)
    {
        var queue = Queue(request);
        if (queue.Failed)
        {
            return queue.Error!;
        }
        if (request["Entries"] is not JsonArray { Count: >= 1 and <= 10 } entries)
        {
            return new ServiceError("TooManyEntriesInBatchRequest", "A batch holds 1 to 10 entries");
        }
        var results = await database.WriteAsync(connection => entries.OfType<JsonObject>()
            .Select(e => ((e["Id"] as JsonString)?.Value ?? string.Empty, e["ReceiptHandle"] is JsonString h && (DeleteByHandle(connection, queue.Value.Name, h.Value) || LooksIssued(h.Value))))
            .ToList(), cancellationToken);
        var successful = results.Where(r => r.Item2).Select(r => (JsonValue)new JsonObjectBuilder(1).Set("Id", r.Item1).Build()).ToArray();
        var failed = results.Where(r => !r.Item2).Select(r => (JsonValue)new JsonObjectBuilder(4).Set("Id", r.Item1).Set("SenderFault", true)
            .Set("Code", InvalidHandle.Code).Set("Message", InvalidHandle.Message).Build()).ToArray();
        return new JsonObjectBuilder(2).Set("Successful", new JsonArray(successful)).Set("Failed", new JsonArray(failed)).Build();
    }

    private static bool DeleteByHandle(SqliteConnection connection, string queue, string handle)
    {
        using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM sqs_messages WHERE queue = $q AND receipt_handle = $h";
        delete.Parameters.AddWithValue("$q", queue);
        delete.Parameters.AddWithValue("$h", handle);
        return delete.ExecuteNonQuery() > 0;
    }

    // Handles are 24 base64 characters of randomness followed by the message id.
    private static bool LooksIssued(string handle) => handle.Length > 24 && Guid.TryParse(handle.AsSpan(24), out _);

    private async Task<ServiceResult<JsonObject>> ChangeVisibilityAsync(JsonObject request, CancellationToken cancellationToken)
    {
        var queue = Queue(request);
        if (queue.Failed)
        {
            return queue.Error!;
        }
        if (request["VisibilityTimeout"] is not JsonNumber { Value: >= 0 and <= 43_200 } timeout)
        {
            return new ServiceError("InvalidParameterValue", "VisibilityTimeout must be between 0 and 43200 seconds");
        }
        var handle = (request["ReceiptHandle"] as JsonString)?.Value ?? string.Empty;
        var visibleAt = Now() + ((long)timeout.Value * 1000);
        var changed = await database.WriteAsync(connection =>
        {
            using var update = connection.CreateCommand();
            update.CommandText = "UPDATE sqs_messages SET visible_at = $v WHERE queue = $q AND receipt_handle = $h";
            update.Parameters.AddWithValue("$v", visibleAt);
            update.Parameters.AddWithValue("$q", queue.Value.Name);
            update.Parameters.AddWithValue("$h", handle);
            return update.ExecuteNonQuery() > 0;
        }, cancellationToken);
        if (changed && timeout.Value == 0)
        {
            Signal(queue.Value.Name);
        }
        return changed ? JsonObject.Empty : new ServiceError("MessageNotInflight", "The message referred to isn't in flight.");
    }

    private async Task<ServiceResult<JsonObject>> PurgeAsync(JsonObject request, CancellationToken cancellationToken)
    {
        var queue = Queue(request);
        if (queue.Failed)
        {
            return queue.Error!;
        }
        await database.WriteAsync(connection =>
        {
            using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM sqs_messages WHERE queue = $q";
            delete.Parameters.AddWithValue("$q", queue.Value.Name);
            return delete.ExecuteNonQuery();
        }, cancellationToken);
        return JsonObject.Empty;
    }

    /// <summary>
    /// StartMessageMoveTask: moves every message of a dead-letter queue (SourceArn) back to the queue that sent it
    /// there, or to DestinationArn. Runs to completion before it returns; the response carries the TaskHandle and
    /// the number moved.
    /// </summary>
    private async Task<ServiceResult<JsonObject>> MoveMessagesAsync(JsonObject request, CancellationToken cancellationToken)
    {
        var source = Queue(request, "SourceArn");
        if (source.Failed)
        {
            return source.Error!;
        }
        string destination;
        if (request["DestinationArn"] is JsonString destinationArn)
        {
            var target = Queue(new JsonObjectBuilder(1).Set("QueueUrl", destinationArn.Value).Build());
            if (target.Failed)
            {
                return target.Error!;
            }
            destination = target.Value.Name;
        }
        else
        {
            var senders = ListQueues().Select(n => Queue(new JsonObjectBuilder(1).Set("QueueUrl", n).Build()))
                .Where(q => !q.Failed && q.Value.DeadLetterQueue == source.Value.Name).Select(q => q.Value.Name).ToList();
            if (senders.Count != 1)
            {
                return new ServiceError("InvalidParameterValue", senders.Count == 0
                    ? $"Source queue {source.Value.Name} is not the dead-letter queue of any queue; give DestinationArn"
                    : $"Several queues use {source.Value.Name} as their dead-letter queue; give DestinationArn");
            }
            destination = senders[0];
        }
        var now = Now();
        var moved = await database.WriteAsync(connection =>
        {
            using var select = connection.CreateCommand();
            select.CommandText = "SELECT id FROM sqs_messages WHERE queue = $q ORDER BY seq";
            select.Parameters.AddWithValue("$q", source.Value.Name);
            var ids = new List<string>();
            using (var reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    ids.Add(reader.GetString(0));
                }
            }
            foreach (var id in ids)
            {
                Move(connection, id, destination, now);
            }
            return ids.Count;
        }, cancellationToken);
        Signal(destination);
        return new JsonObjectBuilder(2).Set("TaskHandle", random.NewGuid().ToString()).Set("ApproximateNumberOfMessagesMoved", moved).Build();
    }
}

/// <summary>Local-only inspection of a queue, for tools: reading messages without receiving them.</summary>
public sealed partial class LocalQueues
{
    /// <summary>The message with this id, visible or not, without changing it; null when there is none.</summary>
    public JsonObject? PeekById(string queue, string messageId) => database.Read(connection =>
    {
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT id, body FROM sqs_messages WHERE queue = $q AND id = $id";
        select.Parameters.AddWithValue("$q", QueueNames.Resolve(queue) ?? queue);
        select.Parameters.AddWithValue("$id", messageId);
        using var reader = select.ExecuteReader();
        return reader.Read() ? new JsonObjectBuilder(2).Set("MessageId", reader.GetString(0)).Set("Body", reader.GetString(1)).Build() : null;
    });

    /// <summary>Every message of the queue in the order they were stored, visible or not, read <paramref name="pageSize"/> at a time as the caller goes.</summary>
    public IEnumerable<JsonObject> PeekAll(string queue, int pageSize = 1000)
    {
        long after = 0;
        while (true)
        {
            var (page, last) = PeekAfter(queue, pageSize, after);
            if (page.Count == 0)
            {
                yield break;
            }
            foreach (var message in page)
            {
                yield return message;
            }
            after = last;
        }
    }

    // "+queue" keeps SQLite from answering through the (queue, visible_at, seq) index, which reads every message of the
    // queue and sorts them for each page (a million messages: 90 s for dlq summary instead of a few); the row id range
    // is read in order instead (https://www.sqlite.org/optoverview.html#uplus).
    internal const string PeekAfterSql = "SELECT id, body, rowid FROM sqs_messages WHERE rowid > $after AND +queue = $q ORDER BY rowid LIMIT $n";

    /// <summary>
    /// Up to <paramref name="max"/> messages stored after position <paramref name="after"/> (0: from the first), in the
    /// order they were stored, visible or not, without changing them; and the position of the last one, to read on from.
    /// For reading a whole queue: the positions are the table's row ids, read as a range (no sort of the queue per page).
    /// </summary>
    public (IReadOnlyList<JsonObject> Messages, long Last) PeekAfter(string queue, int max, long after) => database.Read(connection =>
    {
        using var select = connection.CreateCommand();
        select.CommandText = PeekAfterSql;
        select.Parameters.AddWithValue("$q", QueueNames.Resolve(queue) ?? queue);
        select.Parameters.AddWithValue("$after", after);
        select.Parameters.AddWithValue("$n", max);
        using var reader = select.ExecuteReader();
        var messages = new List<JsonObject>();
        var last = after;
        while (reader.Read())
        {
            messages.Add(new JsonObjectBuilder(2).Set("MessageId", reader.GetString(0)).Set("Body", reader.GetString(1)).Build());
            last = reader.GetInt64(2);
        }
        return ((IReadOnlyList<JsonObject>)messages, last);
    });

    /// <summary>Deletes messages by id in one transaction, whatever their visibility; how many there were.</summary>
    public async Task<int> DeleteByIdsAsync(string queue, IReadOnlyList<string> messageIds, CancellationToken cancellationToken) =>
        await database.WriteAsync(connection =>
        {
            using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM sqs_messages WHERE queue = $q AND id = $id";
            delete.Parameters.AddWithValue("$q", QueueNames.Resolve(queue) ?? queue);
            var id = delete.Parameters.Add("$id", Microsoft.Data.Sqlite.SqliteType.Text);
            var deleted = 0;
            foreach (var messageId in messageIds)
            {
                id.Value = messageId;
                deleted += delete.ExecuteNonQuery();
            }
            return deleted;
        }, cancellationToken);

    /// <summary>Deletes a message by id, whatever its visibility (a tool's "I have dealt with it").</summary>
    public async Task<bool> DeleteByIdAsync(string queue, string messageId, CancellationToken cancellationToken) =>
        await database.WriteAsync(connection =>
        {
            using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM sqs_messages WHERE queue = $q AND id = $id";
            delete.Parameters.AddWithValue("$q", QueueNames.Resolve(queue) ?? queue);
            delete.Parameters.AddWithValue("$id", messageId);
            return delete.ExecuteNonQuery() > 0;
        }, cancellationToken);
}
