using OrderFlow.Json;

namespace OrderFlow.Orders;

/// <summary>
/// What the pipeline does when a batch's transaction is cancelled because some of its OrderIds are already stored (a
/// re-uploaded file, a run resumed after an interruption): one lookup of the batch's keys (<see cref="Keys"/>, then a
/// BatchGetItem), and <see cref="Sort"/> tells the orders stored with the same content (duplicates, counted) from the
/// new ones (stored together again) and from those stored with other content (conflicts, rejected with the batch's
/// invalid orders). Without it, every order of such a batch went the one-at-a-time path: validated again, a PutItem
/// refused, a GetItem, and for a conflict a lookup, a message and a record of its own.
/// </summary>
public static class StoredOrders
{
    /// <summary>
    /// <c>{"keys": [{"OrderId": {"S": …}}, …]}</c>: the key of every insert-only Put of <c>puts</c> (the batch's
    /// TransactWriteItems actions), for BatchGetItem (at most 100 keys: a batch holds at most 100 orders).
    /// </summary>
    public static JsonObject Keys(JsonObject input)
    {
        var puts = input["puts"] as JsonArray ?? JsonArray.Empty;
        var keys = new JsonValue[puts.Count];
        for (var i = 0; i < puts.Count; i++)
        {
            keys[i] = JsonObject.Of("OrderId", ItemOf(puts[i])?["OrderId"] ?? JsonValue.Null);
        }
        return JsonObject.Of("keys", new JsonArray(keys));
    }

    /// <summary>
    /// The batch's next state, from its state after the lookup: every member but <c>valid</c>, <c>puts</c> and
    /// <c>lookup</c> as it was, plus <c>fresh</c> (the Puts of the orders not stored, to store together) and
    /// <c>sorted</c>: <c>{"freshCount", "duplicates", "again", "againWithFresh"}</c>. A duplicate is an order whose
    /// OrderId is stored with its content hash, or with its hash as written (what versions before 2026-12-03 stored).
    /// An order stored with another hash is a conflicting duplicate: its verdict joins <c>rejects</c> (and its rejection's
    /// key <c>rejectionKeys</c>), marked <c>"conflict": true</c>, to be rejected with the batch's invalid orders
    /// (<see cref="PendingRejections"/>). <c>again</c> holds the orders it cannot settle (stored without a hash) for the
    /// one-at-a-time path; <c>againWithFresh</c> holds them and the fresh ones, for when storing the fresh ones fails.
    /// When the lookup left keys unprocessed (DynamoDB may), nothing is sorted: every order goes again.
    /// </summary>
    /// <remarks>
    /// The state sheds the batch's writes here, so that it never holds them twice: Step Functions limits a state's
    /// output to 256 KiB (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html).
    /// </remarks>
    public static JsonObject Sort(JsonObject state)
    {
        var valid = state["valid"] as JsonArray ?? JsonArray.Empty;
        var puts = state["puts"] as JsonArray ?? JsonArray.Empty;
        var lookup = state["lookup"] as JsonObject;
        var stored = StoredHashes(lookup?["found"] as JsonObject);
        var sortable = valid.Count == puts.Count && stored is not null && IsEmpty(lookup?["unprocessed"]);
        var fresh = new List<JsonValue>();
        var again = new List<JsonValue>();
        var againWithFresh = new List<JsonValue>();
        var rejects = new List<JsonValue>(state["rejects"] as JsonArray ?? JsonArray.Empty);
        var rejectionKeys = new List<JsonValue>(state["rejectionKeys"] as JsonArray ?? JsonArray.Empty);
        var duplicates = 0;
        for (var i = 0; i < valid.Count; i++)
        {
            JsonObject? verdict = null;
            switch (sortable ? Settle(valid[i], ItemOf(puts[i]), stored!, out verdict) : Standing.Unknown)
            {
                case Standing.Fresh:
                    fresh.Add(puts[i]);
                    againWithFresh.Add(valid[i]);
                    break;
                case Standing.Duplicate:
                    duplicates++;
                    break;
                case Standing.Conflict:
                    rejects.Add(PendingRejections.Conflict(verdict!));
                    rejectionKeys.Add(JsonObject.Of("RejectionId", JsonObject.Of("S", verdict!["rejectionId"]!)));
                    break;
                default:
                    again.Add(valid[i]);
                    againWithFresh.Add(valid[i]);
                    break;
            }
        }
        var next = new JsonObjectBuilder(state.Count + 2);
        foreach (var (name, value) in state.Members)
        {
            if (name is not ("valid" or "puts" or "lookup"))
            {
                next.Set(name, name switch
                {
                    "rejects" => new JsonArray([.. rejects]),
                    "rejectionKeys" => new JsonArray([.. rejectionKeys]),
                    _ => value,
                });
            }
        }
        return next.Set("fresh", new JsonArray([.. fresh]))
            .Set("sorted", new JsonObjectBuilder(4).Set("freshCount", fresh.Count).Set("duplicates", duplicates)
                .Set("again", new JsonArray([.. again])).Set("againWithFresh", new JsonArray([.. againWithFresh])).Build())
            .Build();
    }

    private enum Standing
    {
        /// <summary>Cannot be told here (no OrderId, stored without a hash): the one-at-a-time path tells.</summary>
        Unknown,

        /// <summary>Not stored.</summary>
        Fresh,

        /// <summary>Stored with its content hash, or with its hash as written.</summary>
        Duplicate,

        /// <summary>Stored with another hash: a conflicting duplicate.</summary>
        Conflict,
    }

    /// <summary>What one order of the batch is, given what the lookup found; for a conflict, its verdict too.</summary>
    private static Standing Settle(JsonValue order, JsonObject? item, Dictionary<string, string?> stored, out JsonObject? verdict)
    {
        verdict = null;
        if (((item?["OrderId"] as JsonObject)?["S"] as JsonString)?.Value is not { } orderId)
        {
            return Standing.Unknown;
        }
        if (!stored.TryGetValue(orderId, out var storedHash))
        {
            return Standing.Fresh;
        }
        if (storedHash is null)
        {
            return Standing.Unknown;
        }
        if (storedHash == ((item!["contentHash"] as JsonObject)?["S"] as JsonString)?.Value)
        {
            return Standing.Duplicate;
        }
        verdict = ValidateOrderFunction.VerdictOf(order);
        if (verdict["valid"] is not JsonBoolean { Value: true } || verdict["rejectionId"] is not JsonString)
        {
            return Standing.Unknown;
        }
        return storedHash == (verdict["contentHashAsWritten"] as JsonString)?.Value ? Standing.Duplicate : Standing.Conflict;
    }

    private static JsonObject? ItemOf(JsonValue put) => ((put as JsonObject)?["Put"] as JsonObject)?["Item"] as JsonObject;

    /// <summary>OrderId → stored content hash (null when the item has none), from BatchGetItem's Responses (one table).</summary>
    private static Dictionary<string, string?>? StoredHashes(JsonObject? responses)
    {
        if (responses is null || responses.Count > 1)
        {
            return null;
        }
        var hashes = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (_, items) in responses.Members)
        {
            foreach (var item in (items as JsonArray ?? JsonArray.Empty).OfType<JsonObject>())
            {
                if ((item["OrderId"] as JsonObject)?["S"] is JsonString id)
                {
                    hashes[id.Value] = ((item["contentHash"] as JsonObject)?["S"] as JsonString)?.Value;
                }
            }
        }
        return hashes;
    }

    private static bool IsEmpty(JsonValue? unprocessed) => unprocessed switch
    {
        null or JsonNull => true,
        JsonObject o => o.Count == 0,
        _ => false,
    };
}
