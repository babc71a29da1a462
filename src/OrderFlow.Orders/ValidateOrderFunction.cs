using System.Globalization;
using System.Text;
using OrderFlow.Json;
using OrderFlow.Orders.Validation;

namespace OrderFlow.Orders;

/// <summary>
/// The validate-order function, with the Lambda .NET contract that needs no Lambda package (<c>Stream Handle(Stream)</c>),
/// so the same method runs in process and as the AWS Lambda. Input: an order, or <c>{"order": ..., "source": ...}</c>.
/// Output, never an exception for a bad order (a rejection is an expected outcome, not an error):
/// <c>{"valid": true, "orderId", "contentHash", "contentHashAsWritten", "rejectionId", "item": DynamoDB item, "order",
/// "source"?}</c> or
/// <c>{"valid": false, "orderId"?, "violations": [{"path","message"}], "order", "source"?}</c>.
/// </summary>
public static class ValidateOrderFunction
{
    private static readonly OrderValidator Validator = new();

    public static Stream Handle(Stream input)
    {
        using var reader = new StreamReader(input, Encoding.UTF8);
        var text = reader.ReadToEnd();
        JsonValue evt;
        try
        {
            evt = JsonValue.Parse(text);
        }
        catch (JsonParseException ex)
        {
            return Write(Rejected(null, JsonValue.Null, null, [new Violation("$", $"is not valid JSON: {ex.Message}")]));
        }
        return Write(Invoke(evt));
    }

    /// <summary>
    /// The function on parsed JSON, for in-process callers (the embedded runtime): the same result as <see cref="Handle"/>
    /// without writing and re-reading the payload. A batch from a Distributed Map's ItemBatcher (<c>{"Items": [...]}</c>)
    /// gets <see cref="ValidateBatch"/>'s result; <c>{"PendingRejections": …}</c> the plan of a batch's rejections
    /// (<see cref="PendingRejections.Plan"/>); <c>{"StoredKeys": …}</c> and <c>{"SortStored": …}</c> the lookup of a batch
    /// whose transaction met stored OrderIds (<see cref="StoredOrders"/>); anything else is one order.
    /// </summary>
    public static JsonObject Invoke(JsonValue input)
    {
        if (input is JsonObject o && o["Items"] is JsonArray items && !o.ContainsKey("order-info"))
        {
            var batchInput = o["BatchInput"] as JsonObject;
            return ValidateBatch(items, batchInput?["ordersTable"] as JsonString, batchInput?["rejectionsTable"] is JsonString);
        }
        if (input is JsonObject p && !p.ContainsKey("order-info"))
        {
            if (p["PendingRejections"] is JsonObject pending)
            {
                return PendingRejections.Plan(pending);
            }
            if (p["StoredKeys"] is JsonObject keys)
            {
                return StoredOrders.Keys(keys);
            }
            if (p["SortStored"] is JsonObject state)
            {
                return StoredOrders.Sort(state);
            }
        }
        return VerdictOf(input);
    }

    /// <summary>
    /// Validates a batch of orders (each an order or <c>{"order", "source"}</c>): <c>{"valid": [...], "single": [...],
    /// "rejects": [...], "rejectionKeys": [...]}</c>, plus <c>"puts"</c> when <paramref name="ordersTable"/> is given (the
    /// batch's <c>BatchInput.ordersTable</c>). <c>valid</c> holds the valid orders that can be stored together, at most
    /// one per OrderId, as the batch gave them (not their verdicts: should their store fail, the one-at-a-time path
    /// validates them again, which gives the verdict and its rejection id); <c>puts</c> has, for each entry of
    /// <c>valid</c> in the same order, the insert-only TransactWriteItems action that stores it. <c>single</c> holds the
    /// verdict (<see cref="Validate"/>) of any later order of the batch that repeats an OrderId, to be handled one at a
    /// time, and of the rejected orders too unless <paramref name="rejectTogether"/> (the batch names its
    /// <c>rejectionsTable</c>): then their verdicts are in <c>rejects</c>, with their keys in the rejections table in
    /// <c>rejectionKeys</c>, for one BatchGetItem.
    /// </summary>
    /// <remarks>
    /// A valid order stored with its batch (nearly all of them) thus gets no verdict object and no rejection id: 324 bytes
    /// less allocated per order (<c>bench -- validate</c>, the pipeline's batches: 2,061 → 1,737 bytes).
    /// </remarks>
    public static JsonObject ValidateBatch(JsonArray items, JsonString? ordersTable = null, bool rejectTogether = false)
    {
        var valid = new List<JsonValue>(items.Count);
        var puts = ordersTable is null ? null : new List<JsonValue>(items.Count);
        var single = new List<JsonValue>();
        var rejects = new List<JsonValue>();
        // The thread's own set, reused from batch to batch (a batch is validated in one go on one thread).
        var orderIds = _batchOrderIds ??= new HashSet<string>(StringComparer.Ordinal);
        orderIds.Clear();
        foreach (var item in items)
        {
            var (raw, source) = Unwrap(item);
            var order = OrderShapes.Normalize(raw);
            var violations = Validator.Validate(order);
            var orderId = OrderIdOf(order);
            if (violations.Count > 0)
            {
                (rejectTogether ? rejects : single).Add(Rejected(orderId?.Value, order, source, violations));
            }
            else if (orderIds.Add(orderId!.Value))
            {
                valid.Add(item);
                puts?.Add(InsertOnly(ordersTable!, ToItem((JsonObject)order, new JsonString(ContentHash(order)))));
            }
            else
            {
                single.Add(Valid(order, source, orderId));
            }
        }
        var result = new JsonObjectBuilder(5).Set("valid", new JsonArray([.. valid])).Set("single", new JsonArray([.. single]))
            .Set("rejects", new JsonArray([.. rejects]))
            .Set("rejectionKeys", new JsonArray([.. rejects.Select(r => (JsonValue)JsonObject.Of("RejectionId", S(((JsonString)((JsonObject)r)["rejectionId"]!).Value)))]));
        if (puts is not null)
        {
            result.Set("puts", new JsonArray([.. puts]));
        }
        return result.Build();
    }

    [ThreadStatic]
    private static HashSet<string>? _batchOrderIds;

    private static readonly JsonString OrderIdAbsent = new("attribute_not_exists(OrderId)");

    private static JsonObject InsertOnly(JsonString table, JsonValue item) =>
        JsonObject.Of("Put", JsonObject.FromDistinct([new("TableName", table), new("Item", item), new("ConditionExpression", OrderIdAbsent)]));

    private static (JsonValue Order, JsonValue? Source) Unwrap(JsonValue input) =>
        input is JsonObject o && o["order"] is { } inner && !o.ContainsKey("order-info") ? (inner, o["source"]) : (input, null);

    /// <summary>The verdict on one order, or on one item of a batch (<c>{"order", "source"}</c>), as the one-at-a-time path makes it.</summary>
    internal static JsonObject VerdictOf(JsonValue item)
    {
        var (order, source) = Unwrap(item);
        return Validate(OrderShapes.Normalize(order), source);
    }

    /// <summary>Validates one order and, when valid, builds the item to store.</summary>
    public static JsonObject Validate(JsonValue order, JsonValue? source = null)
    {
        var violations = Validator.Validate(order);
        var orderId = OrderIdOf(order);
        return violations.Count > 0 ? Rejected(orderId?.Value, order, source, violations) : Valid(order, source, orderId!);
    }

    private static JsonString? OrderIdOf(JsonValue order) => ((order as JsonObject)?["order-info"] as JsonObject)?["OrderId"] as JsonString;

    /// <summary>
    /// The verdict on an order that breaks no rule: its key, content hash, rejection id (should it conflict with a stored
    /// order) and item. A stored order with the same OrderId is a duplicate when its hash is <c>contentHash</c> or, for
    /// orders stored by versions before 2026-12-03, <c>contentHashAsWritten</c> (<see cref="Orders.ContentHash"/>).
    /// </summary>
    private static JsonObject Valid(JsonValue order, JsonValue? source, JsonString orderId)
    {
        var hash = new JsonString(ContentHash(order));
        var asWritten = Orders.ContentHash.AsWritten(order);
        var verdict = new KeyValuePair<string, JsonValue>[source is null ? 7 : 8];
        verdict[0] = new("valid", JsonValue.True);
        verdict[1] = new("orderId", orderId);
        verdict[2] = new("contentHash", hash);
        verdict[3] = new("contentHashAsWritten", string.Equals(asWritten, hash.Value, StringComparison.Ordinal) ? hash : new JsonString(asWritten));
        verdict[4] = new("rejectionId", new JsonString(RejectionId(source, asWritten)));
        verdict[5] = new("item", ToItem((JsonObject)order, hash));
        verdict[6] = new("order", order);
        if (source is not null)
        {
            verdict[7] = new("source", source);
        }
        return JsonObject.FromDistinct(verdict);
    }

    /// <summary>
    /// Names one rejection of one order of one file (its key, position and content), so that the pipeline reports it
    /// once however often the file is processed: <c>"{file}#{position}|{contentHash}"</c>, where <c>contentHash</c> is the
    /// order's hash as written (<see cref="Orders.ContentHash.AsWritten"/>, unchanged since the first version), <c>file</c> is the
    /// first 20 hex digits of the SHA-256 of <c>"{bucket}/{key}"</c> and the position has at least 12 digits
    /// (<c>3b1f…#000000000007|0123…</c>, 66 characters for any key; <c>"|{contentHash}"</c> without a source).
    /// Rejection ids are stored (the key of the rejections table), so this text must not change.
    /// </summary>
    /// <remarks>
    /// A file's rejection ids share their start and then sort in file order, so the rejections table's key index grows
    /// at one place per file instead of taking a random page per rejected order (a quarter of all bytes written for a
    /// file with 10% invalid orders); the file's part is hashed once per file, not once per order. The key is hashed
    /// rather than written out: every rejection carries its id four times through the batch's state (an S3 key may be
    /// 1,024 bytes, and the state 256 KiB). Ids before 2026-12-02 were the first 20 bytes of the SHA-256 of
    /// <c>"{bucket}/{key}#{position}|{contentHash}"</c>: a file processed by an earlier version and processed again
    /// sends its rejections once more.
    /// </remarks>
    public static string RejectionId(JsonValue? source, string contentHash)
    {
        if (source is not JsonObject s)
        {
            return "|" + contentHash;
        }
        var file = FileTag((s["bucket"] as JsonString)?.Value ?? string.Empty, (s["key"] as JsonString)?.Value ?? string.Empty);
        return s["position"] switch
        {
            JsonNumber n when n.TryGetInt64(out var position) && position >= 0 =>
                string.Create(CultureInfo.InvariantCulture, $"{file}#{position:D12}|{contentHash}"),
            null => $"{file}#|{contentHash}",
            var other => $"{file}#{other.ToJsonString()}|{contentHash}",
        };
    }

    // The orders of a batch come from one file: its tag is computed once and kept for the next order. One shared
    // entry, replaced whole (a reference write is atomic), so threads on other files only cost a recomputation; a
    // [ThreadStatic] tuple here went through the runtime's slow thread-static helper on every order (0.7% of a run).
    private static FileTagEntry? _lastFile;

    private sealed record FileTagEntry(string Bucket, string Key, string Tag);

    private static string FileTag(string bucket, string key)
    {
        if (Volatile.Read(ref _lastFile) is { } last && string.Equals(last.Bucket, bucket, StringComparison.Ordinal)
            && string.Equals(last.Key, key, StringComparison.Ordinal))
        {
            return last.Tag;
        }
        var tag = Orders.ContentHash.Hex(Encoding.UTF8.GetBytes(bucket + "/" + key), 10);
        Volatile.Write(ref _lastFile, new FileTagEntry(bucket, key, tag));
        return tag;
    }

    private static JsonObject Rejected(string? orderId, JsonValue order, JsonValue? source, IReadOnlyList<Violation> violations)
    {
        var builder = new JsonObjectBuilder(6).Set("valid", false).Set("rejectionId", RejectionId(source, Orders.ContentHash.AsWritten(order)));
        builder.Set("orderId", orderId is null ? JsonValue.Null : new JsonString(orderId));
        builder.Set("violations", new JsonArray(violations.Select(v => (JsonValue)v.ToJson()).ToArray())).Set("order", order);
        if (source is not null)
        {
            builder.Set("source", source);
        }
        return builder.Build();
    }

    /// <summary>
    /// The stored item, as the seed stores it (OrderId, item-id, qty, contact-name, contact-email, all strings), plus the
    /// optional fields present, the line items as a JSON string, and the content hash.
    /// </summary>
    internal static JsonObject ToItem(JsonObject order, JsonString contentHash)
    {
        var info = (JsonObject)order["order-info"]!;
        var contact = (JsonObject)order["contact-info"]!;
        var itemId = Present(info["item-id"]);
        var description = Present(info["item-desc"]);
        var quantity = Present(info["qty"]);
        var unitPrice = Present(info["unit-price"]);
        var currency = Present(info["currency"]);
        var orderDate = Present(info["order-date"]);
        var status = Present(info["status"]);
        var lines = info["items"] as JsonArray;
        var phone = Present(contact["phone"]);
        var country = Present(contact["country"]);
        // Sized exactly: the object takes the array as it is.
        var count = 4 + Count(itemId) + Count(description) + Count(quantity) + Count(unitPrice) + Count(currency) + Count(orderDate)
            + Count(status) + Count(lines) + Count(phone) + Count(country);
        var item = new KeyValuePair<string, JsonValue>[count];
        var at = 0;
        item[at++] = new("OrderId", S(info["OrderId"]!));
        Optional(item, ref at, "item-id", itemId);
        Optional(item, ref at, "item-desc", description);
        Optional(item, ref at, "qty", quantity);
        Optional(item, ref at, "unit-price", unitPrice);
        Optional(item, ref at, "currency", currency);
        Optional(item, ref at, "order-date", orderDate);
        Optional(item, ref at, "status", status);
        if (lines is not null)
        {
            item[at++] = new("items", S(lines.ToJsonString()));
        }
        item[at++] = new("contact-name", S(contact["name"]!));
        item[at++] = new("contact-email", S(contact["email"]!));
        Optional(item, ref at, "phone", phone);
        Optional(item, ref at, "country", country);
        item[at] = new("contentHash", S(contentHash));
        return JsonObject.FromDistinct(item);
    }

    private static JsonValue? Present(JsonValue? value) => value is JsonNull ? null : value;

    private static int Count(JsonValue? value) => value is null ? 0 : 1;

    private static void Optional(KeyValuePair<string, JsonValue>[] item, ref int at, string name, JsonValue? value)
    {
        if (value is not null)
        {
            item[at++] = new(name, S(value));
        }
    }

    /// <summary>
    /// A hash of the order's content with members in name order, so that key order does not matter, and quantities and
    /// prices alike as numbers or strings (<see cref="Orders.ContentHash.Of"/>): the hash stored with the order.
    /// </summary>
    public static string ContentHash(JsonValue order) => Orders.ContentHash.Of(order);

    // A string attribute holding the value's text: the order's own string (whose size is already known), or a
    // number's literal (its JSON text is the literal itself).
    private static JsonObject S(JsonValue value) => JsonObject.Of("S", value switch
    {
        JsonString s => s,
        JsonNumber n => new JsonString(n.Literal),
        _ => new JsonString(value.ToJsonString()),
    });

    private static JsonObject S(string value) => JsonObject.Of("S", new JsonString(value));

    private static MemoryStream Write(JsonObject result) => new(Encoding.UTF8.GetBytes(result.ToJsonString()));
}
