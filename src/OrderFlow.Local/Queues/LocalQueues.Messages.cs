using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using OrderFlow.Json;
using OrderFlow.Local.Storage;

namespace OrderFlow.Local.Queues;

/// <summary>Sending, receiving, deleting and moving messages.</summary>
public sealed partial class LocalQueues
{
    private async Task<ServiceResult<JsonObject>> SendAsync(JsonObject request, CancellationToken cancellationToken)
    {
        var queue = Queue(request);
        if (queue.Failed)
        {
            return queue.Error!;
        }
        var message = NewMessage(request, queue.Value);
        if (message.Failed)
        {
            return message.Error!;
        }
        await database.WriteAsync(connection =>
        {
            Insert(connection, queue.Value.Name, message.Value);
            return true;
        }, cancellationToken);
        Signal(queue.Value.Name);
        return message.Value.Response;
    }

    private async Task<ServiceResult<JsonObject>> SendBatchAsync(JsonObject request, CancellationToken cancellationToken)
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
        var successful = new List<JsonValue>();
        var failed = new List<JsonValue>();
        var messages = new List<NewMessageData>();
        foreach (var entry in entries.OfType<JsonObject>())
        {
            var id = (entry["Id"] as JsonString)?.Value ?? string.Empty;
            var message = NewMessage(entry, queue.Value, id);
            if (message.Failed)
            {
                failed.Add(new JsonObjectBuilder(4).Set("Id", id).Set("SenderFault", true).Set("Code", message.Error!.Code).Set("Message", message.Error.Message).Build());
                continue;
            }
            messages.Add(message.Value);
            successful.Add(message.Value.Response);
        }
        await database.WriteAsync(connection =>
        {
            foreach (var message in messages)
            {
                Insert(connection, queue.Value.Name, message);
            }
            return true;
        }, cancellationToken);
        Signal(queue.Value.Name);
        return new JsonObjectBuilder(2).Set("Successful", new JsonArray([.. successful])).Set("Failed", new JsonArray([.. failed])).Build();
    }

    /// <summary>A message ready to insert; its body is already UTF-8, as it is measured, hashed and stored.</summary>
    private sealed record NewMessageData(string Id, ReadOnlyMemory<byte> Body, JsonObject? Attributes, long VisibleAt, JsonObject Response);

    /// <param name="entryId">The entry's <c>Id</c> in a SendMessageBatch, which its response carries; null for SendMessage.</param>
    private ServiceResult<NewMessageData> NewMessage(JsonObject request, QueueSettings queue, string? entryId = null)
    {
        // The body's UTF-8 bytes are made once, here on the caller's thread (or were made by the body's writer): they are
        // measured, hashed and bound as they are, so the single database writer only copies them.
        ReadOnlyMemory<byte> bytes = request["MessageBody"] switch
        {
            JsonString s when s.TryGetUtf8(out var utf8) => utf8,
            JsonString s => Encoding.UTF8.GetBytes(s.Value),
            null => default,
            var other => Encoding.UTF8.GetBytes(other.ToJsonString()), // Step Functions sends a JSON MessageBody as its text
        };
        if (bytes.IsEmpty)
        {
            return new ServiceError("MissingParameter", "The request must contain the parameter MessageBody.");
        }
        var attributes = request["MessageAttributes"] as JsonObject;
        var size = bytes.Length + (attributes?.Utf8Size ?? 0);
        if (size > queue.MaximumMessageSize)
        {
            return new ServiceError("InvalidParameterValue", $"One or more parameters are invalid. Reason: Message must be shorter than {queue.MaximumMessageSize} bytes.");
        }
        var delay = request["DelaySeconds"] is JsonNumber d ? (long)d.Value : 0;
        if (delay is < 0 or > 900)
        {
            return new ServiceError("InvalidParameterValue", "DelaySeconds must be between 0 and 900");
        }
        var id = MessageIds.New(Now(), random);
        var response = new JsonObjectBuilder(4);
        if (entryId is not null)
        {
            response.Set("Id", entryId);
        }
        response.Set("MessageId", id).Set("MD5OfMessageBody", Md5(bytes.Span));
        if (attributes is { Count: > 0 })
        {
            var digest = AttributesMd5(attributes);
            if (digest.Failed)
            {
                return digest.Error!;
            }
            response.Set("MD5OfMessageAttributes", digest.Value);
        }
        return new NewMessageData(id, bytes, attributes, Now() + (delay * 1000), response.Build());
    }

    private void Insert(SqliteConnection connection, string queue, NewMessageData message)
    {
        using var insert = connection.Raw("INSERT INTO sqs_messages(id, queue, body, attributes, sent_at, visible_at, seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        insert.Bind(1, message.Id);
        insert.Bind(2, queue);
        insert.Bind(3, message.Body.Span);
        if (message.Attributes is null)
        {
            insert.BindNull(4);
        }
        else
        {
            insert.Bind(4, message.Attributes.ToJsonString());
        }
        insert.Bind(5, Now());
        insert.Bind(6, message.VisibleAt);
        insert.Bind(7, NextSequence());
        insert.Step();
    }

    /// <summary>
    /// The MD5 of message attributes as SQS computes it: for each attribute in name order, the name, the data type,
    /// a transport byte (1 string, 2 binary) and the value, each length-prefixed with 4 big-endian bytes.
    /// </summary>
    private static ServiceResult<string> AttributesMd5(JsonObject attributes)
    {
        using var buffer = new MemoryStream();
        foreach (var (name, value) in attributes.Members.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            if (value is not JsonObject a || a["DataType"] is not JsonString type)
            {
                return new ServiceError("InvalidParameterValue", $"The message attribute '{name}' must contain a DataType.");
            }
            WriteLengthPrefixed(buffer, Encoding.UTF8.GetBytes(name));
            WriteLengthPrefixed(buffer, Encoding.UTF8.GetBytes(type.Value));
            if (a["BinaryValue"] is JsonString binary)
            {
                buffer.WriteByte(2);
                WriteLengthPrefixed(buffer, Convert.FromBase64String(binary.Value));
            }
            else if (a["StringValue"] is JsonString text)
            {
                buffer.WriteByte(1);
                WriteLengthPrefixed(buffer, Encoding.UTF8.GetBytes(text.Value));
            }
            else
            {
                return new ServiceError("InvalidParameterValue", $"The message attribute '{name}' must contain a StringValue or a BinaryValue.");
            }
        }
        return Md5(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    private static void WriteLengthPrefixed(Stream stream, byte[] bytes)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        stream.Write(length);
        stream.Write(bytes);
    }

    private async Task<ServiceResult<JsonObject>> ReceiveAsync(JsonObject request, CancellationToken cancellationToken)
    {
        var queue = Queue(request);
        if (queue.Failed)
        {
            return queue.Error!;
        }
        var max = request["MaxNumberOfMessages"] is JsonNumber m ? (int)m.Value : 1;
        if (max is < 1 or > MaxReceive)
        {
            return new ServiceError("InvalidParameterValue", $"Value {max} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.");
        }
        var visibility = request["VisibilityTimeout"] is JsonNumber v ? (int)v.Value : queue.Value.VisibilityTimeoutSeconds;
        var wait = request["WaitTimeSeconds"] is JsonNumber w ? (int)w.Value : 0;
        if (wait is < 0 or > 20)
        {
            return new ServiceError("InvalidParameterValue", "WaitTimeSeconds must be between 0 and 20");
        }
        var deadline = time.GetUtcNow().AddSeconds(wait);
        while (true)
        {
            var arrival = Arrival(queue.Value.Name);
            var messages = await database.WriteAsync(connection => Take(connection, queue.Value, max, visibility), cancellationToken);
            var remaining = deadline - time.GetUtcNow();
            if (messages.Count > 0 || remaining <= TimeSpan.Zero)
            {
                return new JsonObjectBuilder(1).Set("Messages", new JsonArray([.. messages])).Build();
            }
            var pause = remaining < TimeSpan.FromSeconds(1) ? remaining : TimeSpan.FromSeconds(1);
            await Task.WhenAny(arrival, Task.Delay(pause, time, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>
    /// Takes the messages visible longest (in the order they were sent, among those that became visible together); one
    /// received too often moves to the dead-letter queue instead. A message past the queue's retention period is never
    /// taken; such messages are deleted at most once a minute (<see cref="ExpireDue"/>).
    /// </summary>
    private List<JsonValue> Take(SqliteConnection connection, QueueSettings queue, int max, int visibilitySeconds)
    {
        var now = Now();
        var cutoff = now - (queue.MessageRetentionSeconds * 1000L);
        if (ExpireDue(queue.Name, now))
        {
            using var expire = connection.CreateCommand();
            expire.CommandText = "DELETE FROM sqs_messages WHERE queue = $q AND sent_at < $cutoff";
            expire.Parameters.AddWithValue("$q", queue.Name);
            expire.Parameters.AddWithValue("$cutoff", cutoff);
            expire.ExecuteNonQuery();
        }
        var taken = new List<JsonValue>();
        while (taken.Count < max)
        {
            using var select = connection.CreateCommand();
            select.CommandText = TakeSql;
            select.Parameters.AddWithValue("$q", queue.Name);
            select.Parameters.AddWithValue("$now", now);
            select.Parameters.AddWithValue("$cutoff", cutoff);
            select.Parameters.AddWithValue("$n", max - taken.Count);
            var rows = new List<(string Id, string Body, string? Attributes, long SentAt, long Count, long? First)>();
            using (var reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    rows.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4), reader.IsDBNull(5) ? null : reader.GetInt64(5)));
                }
            }
            if (rows.Count == 0)
            {
                break;
            }
            foreach (var row in rows)
            {
                if (queue.DeadLetterQueue is { } dlq && row.Count >= queue.MaxReceiveCount)
                {
                    Move(connection, row.Id, dlq, now);
                    Signal(dlq);
                    continue;
                }
                var handle = Convert.ToBase64String(random.NewGuid().ToByteArray()) + row.Id;
                using var update = connection.CreateCommand();
                update.CommandText = "UPDATE sqs_messages SET receive_count = receive_count + 1, visible_at = $v, receipt_handle = $h, first_received_at = COALESCE(first_received_at, $now) WHERE id = $id";
                update.Parameters.AddWithValue("$v", now + (visibilitySeconds * 1000L));
                update.Parameters.AddWithValue("$h", handle);
                update.Parameters.AddWithValue("$now", now);
                update.Parameters.AddWithValue("$id", row.Id);
                update.ExecuteNonQuery();
                taken.Add(ToMessage(row.Id, row.Body, row.Attributes, handle, row.SentAt, row.Count + 1, row.First ?? now));
            }
        }
        return taken;
    }

    /// <summary>
    /// The visible messages of a queue, those visible longest first, in the index's own order (queue, visible_at, seq):
    /// SQLite reads the first ones and stops, where ordering by <c>seq</c> alone made it read and sort every visible
    /// message of the queue on every receive. Standard queues promise no order
    /// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/standard-queues.html).
    /// </summary>
    internal const string TakeSql = "SELECT id, body, attributes, sent_at, receive_count, first_received_at FROM sqs_messages "
        + "WHERE queue = $q AND visible_at <= $now AND sent_at >= $cutoff ORDER BY visible_at, seq LIMIT $n";

    // Deleting a queue's expired messages reads every message of the queue (sent_at has no index, which every send would
    // pay for), so a receive does it at most once a minute per queue: a retention period is a minute at least, and
    // TakeSql skips expired messages meanwhile. Only the writer's thread uses this (Take runs inside WriteAsync).
    private const long ExpiryIntervalMilliseconds = 60_000;
    private readonly Dictionary<string, long> _expiredAt = new(StringComparer.Ordinal);

    private bool ExpireDue(string queue, long now)
    {
        if (_expiredAt.TryGetValue(queue, out var last) && now >= last && now - last < ExpiryIntervalMilliseconds)
        {
            return false;
        }
        _expiredAt[queue] = now;
        return true;
    }

    private static JsonObject ToMessage(string id, string body, string? attributes, string handle, long sentAt, long receiveCount, long firstReceived)
    {
        var message = new JsonObjectBuilder(6)
            .Set("MessageId", id)
            .Set("ReceiptHandle", handle)
            .Set("MD5OfBody", Md5(body))
            .Set("Body", body)
            .Set("Attributes", new JsonObjectBuilder(3)
                .Set("SentTimestamp", sentAt.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Set("ApproximateReceiveCount", receiveCount.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Set("ApproximateFirstReceiveTimestamp", firstReceived.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Build());
        if (attributes is not null)
        {
            message.Set("MessageAttributes", JsonValue.Parse(attributes));
        }
        return message.Build();
    }

    private void Move(SqliteConnection connection, string id, string destination, long now)
    {
        using var move = connection.CreateCommand();
        move.CommandText = "UPDATE sqs_messages SET queue = $d, receive_count = 0, visible_at = $now, receipt_handle = NULL, first_received_at = NULL, seq = $seq WHERE id = $id";
        move.Parameters.AddWithValue("$d", destination);
        move.Parameters.AddWithValue("$now", now);
        move.Parameters.AddWithValue("$seq", NextSequence());
        move.Parameters.AddWithValue("$id", id);
        move.ExecuteNonQuery();
    }
}
