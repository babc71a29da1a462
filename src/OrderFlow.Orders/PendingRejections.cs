using System.Globalization;
using OrderFlow.Json;

namespace OrderFlow.Orders;

/// <summary>
/// The second step of rejecting a batch's invalid orders together: given the rejections (the verdicts
/// <see cref="ValidateOrderFunction.ValidateBatch"/> put in <c>rejects</c>) and what a BatchGetItem on the rejections
/// table found, the SendMessageBatch and BatchWriteItem requests for the rejections not yet sent, and one outcome per
/// rejected order. Input (under <c>PendingRejections</c> in the function's payload):
/// <c>{"rejects": [...], "found": Responses, "unprocessed": UnprocessedKeys, "table": the rejections table}</c>.
/// Output: <c>{"fallback": bool, "messages": [[entry, ...], ...], "records": [{"RequestItems": ...}, ...], "outcomes": [...]}</c>;
/// <c>fallback</c> is true when the lookup left keys unprocessed, so the pipeline cannot tell what was sent and handles
/// the rejections one at a time instead.
/// </summary>
public static class PendingRejections
{
    /// <summary>SendMessageBatch: at most 10 entries (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html).</summary>
    public const int MaxMessagesPerBatch = 10;

    /// <summary>SendMessageBatch: at most 256 KiB of bodies together; a margin is kept for the entries' ids and framing.</summary>
    public const int MaxBatchBodyBytes = 240 * 1024;

    /// <summary>BatchWriteItem: at most 25 requests (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html).</summary>
    public const int MaxRecordsPerBatch = 25;

    /// <summary>
    /// A conflicting duplicate's reason, as the definition's one-at-a-time <c>Conflict</c> states word it (a test holds
    /// the two equal).
    /// </summary>
    public const string ConflictMessage = "conflicting duplicate: an order with this OrderId and different content is already stored";

    private static readonly JsonObject Invalid = new JsonObjectBuilder(2).Set("outcome", "rejected").Set("reason", "invalid").Build();
    private static readonly JsonObject Conflicting = new JsonObjectBuilder(2).Set("outcome", "rejected").Set("reason", "conflicting duplicate").Build();
    private static readonly JsonObject AlreadyRejected = new JsonObjectBuilder(2).Set("outcome", "rejected").Set("reason", "already rejected").Build();
    private static readonly JsonArray ConflictReasons = new([new JsonObjectBuilder(2).Set("path", "$.order-info.OrderId").Set("message", ConflictMessage).Build()]);

    /// <summary>
    /// A valid order's verdict made a rejection for conflicting with a stored order: its reasons the conflict's, marked
    /// <c>"conflict": true</c>, so that <see cref="Plan"/> words its message and outcome as the <c>Conflict</c> state does.
    /// </summary>
    public static JsonObject Conflict(JsonObject verdict)
    {
        var reject = new JsonObjectBuilder(7).Set("valid", JsonValue.False).Set("conflict", true)
            .Set("orderId", verdict["orderId"] ?? JsonValue.Null).Set("violations", ConflictReasons).Set("order", verdict["order"] ?? JsonValue.Null);
        if (verdict["source"] is { } source)
        {
            reject.Set("source", source);
        }
        return reject.Set("rejectionId", verdict["rejectionId"] ?? JsonValue.Null).Build();
    }

    private static bool IsConflict(JsonObject reject) => reject["conflict"] is JsonBoolean { Value: true };

    public static JsonObject Plan(JsonObject input)
    {
        var rejects = input["rejects"] as JsonArray ?? JsonArray.Empty;
        var table = (input["table"] as JsonString)?.Value ?? string.Empty;
        if (input["unprocessed"] is JsonObject { Count: > 0 })
        {
            return new JsonObjectBuilder(4).Set("fallback", true).Set("messages", JsonArray.Empty).Set("records", JsonArray.Empty).Set("outcomes", JsonArray.Empty).Build();
        }
        var sent = SentIds(input["found"] as JsonObject);
        var outcomes = new List<JsonValue>(rejects.Count);
        var bodies = new List<byte[]>();
        var records = new List<JsonValue>();
        foreach (var reject in rejects.OfType<JsonObject>())
        {
            var id = (reject["rejectionId"] as JsonString)?.Value ?? string.Empty;
            if (sent.Contains(id))
            {
                outcomes.Add(AlreadyRejected);
                continue;
            }
            outcomes.Add(IsConflict(reject) ? Conflicting : Invalid);
            bodies.Add(MessageBody(reject).ToJsonUtf8());
            records.Add(Record(id, reject["orderId"]));
        }
        return new JsonObjectBuilder(4)
            .Set("fallback", false)
            .Set("messages", new JsonArray([.. MessageBatches(bodies)]))
            .Set("records", new JsonArray([.. records.Chunk(MaxRecordsPerBatch).Select(chunk => (JsonValue)RecordBatch(table, chunk))]))
            .Set("outcomes", new JsonArray([.. outcomes]))
            .Build();
    }

    /// <summary>
    /// The message a rejected order sends, as the one-at-a-time path sends it: the error, every reason (a conflict's
    /// OrderId too, as the <c>Conflict</c> state's message carries it), the file and position, the order.
    /// </summary>
    private static JsonObject MessageBody(JsonObject reject)
    {
        var body = new JsonObjectBuilder(6).Set("error", "OrderRejected").Set("reasons", reject["violations"] ?? JsonArray.Empty);
        if (IsConflict(reject))
        {
            body.Set("orderId", reject["orderId"] ?? JsonValue.Null);
        }
        if (reject["source"] is { } source)
        {
            body.Set("source", source);
        }
        return body.Set("order", reject["order"] ?? JsonValue.Null).Set("rejectionId", reject["rejectionId"] ?? JsonValue.Null).Build();
    }

    /// <summary>The rejection's record, as the one-at-a-time path writes it (its orderId as text, "null" when the order has none).</summary>
    private static JsonObject Record(string rejectionId, JsonValue? orderId)
    {
        var orderText = orderId is JsonString s ? s.Value : (orderId ?? JsonValue.Null).ToJsonString();
        var item = new JsonObjectBuilder(2).Set("RejectionId", S(rejectionId)).Set("orderId", S(orderText)).Build();
        return JsonObject.Of("PutRequest", JsonObject.Of("Item", item));
    }

    private static JsonObject RecordBatch(string table, JsonValue[] records) =>
        JsonObject.Of("RequestItems", JsonObject.Of(table, new JsonArray(records)));

    /// <summary>Entries of at most 10 messages and <see cref="MaxBatchBodyBytes"/> each; ids are the entries' positions.</summary>
    // Each body is made UTF-8 once and travels so (JsonString.FromUtf8): measured here, then hashed and stored by the queue.
    private static IEnumerable<JsonValue> MessageBatches(List<byte[]> bodies)
    {
        var batch = new List<JsonValue>();
        var bytes = 0;
        foreach (var body in bodies)
        {
            var size = body.Length;
            if (batch.Count == MaxMessagesPerBatch || (batch.Count > 0 && bytes + size > MaxBatchBodyBytes))
            {
                yield return new JsonArray([.. batch]);
                batch.Clear();
                bytes = 0;
            }
            batch.Add(new JsonObjectBuilder(2).Set("Id", batch.Count.ToString(CultureInfo.InvariantCulture)).Set("MessageBody", JsonString.FromUtf8(body)).Build());
            bytes += size;
        }
        if (batch.Count > 0)
        {
            yield return new JsonArray([.. batch]);
        }
    }

    /// <summary>The rejection ids a BatchGetItem found, whatever the table's name.</summary>
    private static HashSet<string> SentIds(JsonObject? responses)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, items) in responses?.Members ?? [])
        {
            foreach (var item in (items as JsonArray ?? JsonArray.Empty).OfType<JsonObject>())
            {
                if ((item["RejectionId"] as JsonObject)?["S"] is JsonString id)
                {
                    ids.Add(id.Value);
                }
            }
        }
        return ids;
    }

    private static JsonObject S(string value) => JsonObject.Of("S", new JsonString(value));
}
