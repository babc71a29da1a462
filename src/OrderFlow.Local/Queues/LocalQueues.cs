using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using OrderFlow.Json;
using OrderFlow.Local.Storage;
using OrderFlow.States.Execution;

namespace OrderFlow.Local.Queues;

/// <summary>
/// SQS standard queues on SQLite. Operations take and return the SQS JSON API's shapes (SendMessage(Batch),
/// ReceiveMessage, DeleteMessage(Batch), ChangeMessageVisibility, GetQueueUrl, GetQueueAttributes, PurgeQueue,
/// StartMessageMoveTask), with visibility timeouts, receive counts, redrive to a dead-letter queue and retention.
/// </summary>
public sealed partial class LocalQueues(SqliteDatabase database, TimeProvider time, IRandomSource random, string region, string account) : Integrations.IServiceApi
{
    internal static readonly string[] Sql =
    [
        "CREATE TABLE IF NOT EXISTS sqs_queues(name TEXT PRIMARY KEY, settings TEXT NOT NULL, created INTEGER NOT NULL)",
        """
        CREATE TABLE IF NOT EXISTS sqs_messages(id TEXT PRIMARY KEY, queue TEXT NOT NULL, body TEXT NOT NULL, attributes TEXT,
          sent_at INTEGER NOT NULL, visible_at INTEGER NOT NULL, receive_count INTEGER NOT NULL DEFAULT 0,
          first_received_at INTEGER, receipt_handle TEXT, seq INTEGER NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS sqs_messages_visible ON sqs_messages(queue, visible_at, seq)",
        // Only received messages have a receipt handle, and only they are looked up by it: a message is indexed by its
        // handle when it is received, not when it is sent (an index of every unreceived message's NULL was one more
        // B-tree written for every rejected order). Databases made earlier drop their full index.
        // https://www.sqlite.org/partialindex.html
        "CREATE INDEX IF NOT EXISTS sqs_messages_received ON sqs_messages(receipt_handle) WHERE receipt_handle IS NOT NULL",
        "DROP INDEX IF EXISTS sqs_messages_receipt",
    ];

    private const int MaxReceive = 10;
    private readonly ConcurrentDictionary<string, QueueSettings> _settings = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _arrivals = new(StringComparer.Ordinal);
    private long _sequence = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;

    /// <summary>Creates a queue; creating it again with the same settings is a no-op.</summary>
    public async Task<ServiceResult<QueueSettings>> CreateQueueAsync(QueueSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Validate() is { } invalid)
        {
            return new ServiceError("InvalidAttributeValue", invalid);
        }
        var json = SettingsJson(settings).ToJsonString();
        return await database.WriteAsync<ServiceResult<QueueSettings>>(connection =>
        {
            var existing = LoadSettings(connection, settings.Name);
            if (existing is not null)
            {
                return existing == settings ? existing : new ServiceError("QueueNameExists", $"A queue already exists with the same name and a different value for attribute(s): {settings.Name}");
            }
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO sqs_queues(name, settings, created) VALUES ($n, $s, $c)";
            insert.Parameters.AddWithValue("$n", settings.Name);
            insert.Parameters.AddWithValue("$s", json);
            insert.Parameters.AddWithValue("$c", Now());
            insert.ExecuteNonQuery();
            return settings;
        }, cancellationToken);
    }

    public IReadOnlyList<string> ListQueues() => database.Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqs_queues ORDER BY name";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }
        return names;
    });

    /// <summary>Runs one SQS operation by its API name.</summary>
    public async Task<ServiceResult<JsonObject>> ExecuteAsync(string operation, JsonObject request, CancellationToken cancellationToken)
    {
        try
        {
            return await RunAsync(operation, request, cancellationToken);
        }
        catch (Exception ex) when (StorageFault.IsStorageFailure(ex))
        {
            // The disk full, or an I/O error: SQS's own 500, which callers retry (nothing of the request is kept).
            return new ServiceError("InternalError", $"The embedded queue's storage failed: {ex.Message}");
        }
    }

    private async Task<ServiceResult<JsonObject>> RunAsync(string operation, JsonObject request, CancellationToken cancellationToken) => operation switch
    {
        "SendMessage" => await SendAsync(request, cancellationToken),
        "SendMessageBatch" => await SendBatchAsync(request, cancellationToken),
        "ReceiveMessage" => await ReceiveAsync(request, cancellationToken),
        "DeleteMessage" => await DeleteAsync(request, cancellationToken),
        "DeleteMessageBatch" => await DeleteBatchAsync(request, cancellationToken),
        "ChangeMessageVisibility" => await ChangeVisibilityAsync(request, cancellationToken),
        "GetQueueUrl" => GetQueueUrl(request),
        "GetQueueAttributes" => GetQueueAttributes(request),
        "PurgeQueue" => await PurgeAsync(request, cancellationToken),
        "StartMessageMoveTask" => await MoveMessagesAsync(request, cancellationToken),
        _ => new ServiceError("UnsupportedOperation", $"Unsupported SQS operation: {operation}"),
    };

    private ServiceResult<QueueSettings> Queue(JsonObject request, string field = "QueueUrl")
    {
        var reference = (request[field] as JsonString)?.Value;
        var name = reference is null ? null : QueueNames.Resolve(reference);
        if (name is null)
        {
            return new ServiceError("InvalidAddress", $"The address {reference ?? "(none)"} is not valid for this endpoint.");
        }
        if (_settings.TryGetValue(name, out var cached))
        {
            return cached;
        }
        var settings = database.Read(connection => LoadSettings(connection, name));
        if (settings is null)
        {
            return new ServiceError("QueueDoesNotExist", $"The specified queue does not exist: {name}");
        }
        _settings[name] = settings;
        return settings;
    }

    private static QueueSettings? LoadSettings(SqliteConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT settings FROM sqs_queues WHERE name = $n";
        command.Parameters.AddWithValue("$n", name);
        if (command.ExecuteScalar() is not string json)
        {
            return null;
        }
        var o = (JsonObject)JsonValue.Parse(json);
        int Int(string field) => (int)((JsonNumber)o[field]!).Value;
        return new QueueSettings(name)
        {
            VisibilityTimeoutSeconds = Int("VisibilityTimeout"),
            MessageRetentionSeconds = Int("MessageRetentionPeriod"),
            MaximumMessageSize = Int("MaximumMessageSize"),
            DeadLetterQueue = (o["DeadLetterQueue"] as JsonString)?.Value,
            MaxReceiveCount = o["MaxReceiveCount"] is JsonNumber n ? (int)n.Value : null,
        };
    }

    private static JsonObject SettingsJson(QueueSettings settings)
    {
        var builder = new JsonObjectBuilder(5)
            .Set("VisibilityTimeout", settings.VisibilityTimeoutSeconds)
            .Set("MessageRetentionPeriod", settings.MessageRetentionSeconds)
            .Set("MaximumMessageSize", settings.MaximumMessageSize);
        if (settings.DeadLetterQueue is not null)
        {
            builder.Set("DeadLetterQueue", settings.DeadLetterQueue).Set("MaxReceiveCount", settings.MaxReceiveCount!.Value);
        }
        return builder.Build();
    }

    private ServiceResult<JsonObject> GetQueueUrl(JsonObject request)
    {
        var queue = Queue(request, "QueueName");
        return queue.Failed ? queue.Error! : new JsonObjectBuilder(1).Set("QueueUrl", QueueNames.Url(queue.Value.Name, region, account)).Build();
    }

    /// <summary>
    /// The messages of a queue (its name or URL) now: those visible and those in flight (received, not yet visible
    /// again); GetQueueAttributes' ApproximateNumberOfMessages and ApproximateNumberOfMessagesNotVisible, exact here.
    /// </summary>
    public (long Visible, long InFlight) CountMessages(string queue)
    {
        var now = Now();
        return database.Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT SUM(visible_at <= $now), SUM(visible_at > $now) FROM sqs_messages WHERE queue = $q";
            command.Parameters.AddWithValue("$q", QueueNames.Resolve(queue) ?? queue);
            command.Parameters.AddWithValue("$now", now);
            using var reader = command.ExecuteReader();
            reader.Read();
            return (reader.IsDBNull(0) ? 0L : reader.GetInt64(0), reader.IsDBNull(1) ? 0L : reader.GetInt64(1));
        });
    }

    private ServiceResult<JsonObject> GetQueueAttributes(JsonObject request)
    {
        var queue = Queue(request);
        if (queue.Failed)
        {
            return queue.Error!;
        }
        var (visible, inFlight) = CountMessages(queue.Value.Name);
        var s = queue.Value;
        var attributes = new JsonObjectBuilder(8)
            .Set("QueueArn", QueueNames.Arn(s.Name, region, account))
            .Set("ApproximateNumberOfMessages", visible.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Set("ApproximateNumberOfMessagesNotVisible", inFlight.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Set("VisibilityTimeout", s.VisibilityTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Set("MessageRetentionPeriod", s.MessageRetentionSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Set("MaximumMessageSize", s.MaximumMessageSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (s.DeadLetterQueue is not null)
        {
            attributes.Set("RedrivePolicy", new JsonObjectBuilder(2)
                .Set("deadLetterTargetArn", QueueNames.Arn(s.DeadLetterQueue, region, account))
                .Set("maxReceiveCount", s.MaxReceiveCount!.Value).Build().ToJsonString());
        }
        return new JsonObjectBuilder(1).Set("Attributes", attributes.Build()).Build();
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    private long NextSequence() => Interlocked.Increment(ref _sequence);

    private static string Md5(string text) => Md5(Encoding.UTF8.GetBytes(text));

    /// <summary>An MD5 as SQS gives it: lower-case hex.</summary>
    private static string Md5(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(MD5.HashData(bytes));

    private void Signal(string queue)
    {
        if (_arrivals.TryRemove(queue, out var arrival))
        {
            arrival.TrySetResult();
        }
    }

    private Task Arrival(string queue) => _arrivals.GetOrAdd(queue, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
}
