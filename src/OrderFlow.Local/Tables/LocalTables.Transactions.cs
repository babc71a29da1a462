using Microsoft.Data.Sqlite;
using OrderFlow.Json;
using OrderFlow.Local.Storage;
using OrderFlow.Local.Tables.Expressions;

namespace OrderFlow.Local.Tables;

/// <summary>
/// TransactWriteItems (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html):
/// up to 100 Put, Update, Delete and ConditionCheck actions on distinct items, all or nothing. Every condition is
/// checked and every new item computed before anything is written, inside one writer transaction; if any condition
/// fails, nothing is written and the call fails with TransactionCanceledException, whose message lists one reason per
/// action in order (<c>[ConditionalCheckFailed, None]</c>). ClientRequestToken is accepted and not remembered: the
/// embedded tables never answer a request ambiguously, so a caller has no reason to repeat one that succeeded.
/// </summary>
public sealed partial class LocalTables
{
    private const int MaxTransactionActions = 100;

    /// <summary>
    /// One action of a transaction: the item it leaves (<paramref name="Item"/>: the Put's item, <see cref="Unchanged"/>
    /// for a ConditionCheck, null for a Delete), or for an Update the item made from the stored one.
    /// </summary>
    private sealed record TransactAction(string Table, (string Pk, string Sk) Key, ConditionNode? Condition, JsonObject? Item,
        Func<JsonObject?, ServiceResult<JsonObject?>>? Update = null)
    {
        public ServiceResult<JsonObject?> NewItem(JsonObject? old) => Update is null ? Item : Update(old);

        /// <summary>A Put's item text, written before the transaction is queued.</summary>
        public ItemText? Text { get; init; }

        /// <summary>
        /// A Put whose condition is only that the item does not exist yet (<c>attribute_not_exists</c> of a key
        /// attribute): an insert that the key's unique index refuses when the item exists.
        /// </summary>
        public bool InsertOnly { get; init; }
    }

    [ThreadStatic]
    private static HashSet<(string, string, string)>? _transactionKeys;

    private async Task<ServiceResult<JsonObject>> TransactWriteItemsAsync(JsonObject request, CancellationToken cancellationToken)
    {
        if (request["TransactItems"] is not JsonArray { Count: > 0 } items)
        {
            return ServiceError.Validation("1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not be null");
        }
        if (items.Count > MaxTransactionActions)
        {
            return ServiceError.Validation($"1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to {MaxTransactionActions}");
        }
        var actions = new List<TransactAction>(items.Count);
        var texts = new ItemTexts(items.Count * 512);
        var queued = false;
        try
        {
            // The thread's own set, reused: it is only used before the first await, on this thread.
            var keys = _transactionKeys ??= [];
            keys.Clear();
            foreach (var item in items)
            {
                var action = ParseAction(item, texts);
                if (action.Failed)
                {
                    return action.Error!;
                }
                actions.Add(action.Value);
                if (!keys.Add((action.Value.Table, action.Value.Key.Pk, action.Value.Key.Sk)))
                {
                    return ServiceError.Validation("Transaction request cannot include multiple operations on one item");
                }
            }
            queued = true;
            var result = await database.WriteAsync(connection => Commit(connection, actions), cancellationToken);
            texts.Dispose();
            return result;
        }
        finally
        {
            // The items' pooled text goes back once the write is settled, or when it was never queued. A write whose
            // wait was cancelled may still run later: its bytes are left to the garbage collector rather than handed
            // to someone else.
            if (!queued)
            {
                texts.Dispose();
            }
        }
    }

    /// <remarks>
    /// An insert-only Put (<see cref="TransactAction.InsertOnly"/>) is inserted at once, the key's unique index telling
    /// whether the item existed: one index search instead of a read and then a write. The actions run inside a
    /// savepoint, so a condition that fails later takes those inserts back with the rest: nothing is written, as in
    /// DynamoDB. After a failure the remaining conditions are still checked, to give every action its reason.
    /// </remarks>
    private static ServiceResult<JsonObject> Commit(SqliteConnection connection, List<TransactAction> actions)
    {
        var reasons = new string[actions.Count];
        var planned = new JsonObject?[actions.Count];
        var cancelled = false;
        Run(connection, "SAVEPOINT transact_write_items");
        try
        {
            for (var i = 0; i < actions.Count; i++)
            {
                var action = actions[i];
                if (action.InsertOnly && action.Text is { } text)
                {
                    var inserted = !cancelled ? InsertItem(connection, action.Table, action.Key, text.Span) : !ItemExists(connection, action.Table, action.Key);
                    reasons[i] = inserted ? "None" : "ConditionalCheckFailed";
                    cancelled |= !inserted;
                    planned[i] = Unchanged; // written already (or, once cancelled, never)
                    continue;
                }
                var old = LoadItem(connection, action.Table, action.Key);
                if (action.Condition is not null && !action.Condition.Evaluate(old ?? JsonObject.Empty))
                {
                    reasons[i] = "ConditionalCheckFailed";
                    cancelled = true;
                    continue;
                }
                reasons[i] = "None";
                var next = action.NewItem(old);
                if (next.Failed)
                {
                    Run(connection, "ROLLBACK TO transact_write_items");
                    return next.Error!;
                }
                planned[i] = next.Value;
            }
            if (cancelled)
            {
                Run(connection, "ROLLBACK TO transact_write_items");
                return new ServiceError("TransactionCanceledException",
                    $"Transaction cancelled, please refer cancellation reasons for specific reasons [{string.Join(", ", reasons)}]");
            }
            for (var i = 0; i < actions.Count; i++)
            {
                var action = actions[i];
                if (ReferenceEquals(planned[i], Unchanged))
                {
                    continue;
                }
                if (planned[i] is { } item)
                {
                    if (action.Text is { } text && ReferenceEquals(item, action.Item))
                    {
                        StoreItem(connection, action.Table, action.Key, text.Span);
                    }
                    else
                    {
                        StoreItem(connection, action.Table, action.Key, item);
                    }
                }
                else
                {
                    DeleteStored(connection, action.Table, action.Key);
                }
            }
            return JsonObject.Empty;
        }
        finally
        {
            Run(connection, "RELEASE transact_write_items");
        }
    }

    private static void Run(SqliteConnection connection, string sql)
    {
        using var statement = connection.Raw(sql);
        statement.Step();
    }

    // Marks a ConditionCheck: the item stays as it is.
    private static readonly JsonObject Unchanged = new JsonObjectBuilder(1).Set("unchanged", true).Build();

    // The new item of an Update from the old one. A method of its own: the lambda's captured variables, declared in
    // ParseAction's switch, made ParseAction allocate them for every action, a Put as well.
    private static Func<JsonObject?, ServiceResult<JsonObject?>> Updater(JsonObject keyObject, IReadOnlyList<UpdateAction> updates) => old =>
    {
        var updated = old ?? keyObject;
        foreach (var update in updates)
        {
            updated = update.Apply(updated);
        }
        return ValidateItem(updated) is { } error ? error : updated;
    };

    private ServiceResult<TransactAction> ParseAction(JsonValue entry, ItemTexts texts)
    {
        if (entry is not JsonObject { Count: 1 } o || o.ValueAt(0) is not JsonObject body)
        {
            return ServiceError.Validation("TransactItems can only contain one of Check, Put, Update or Delete");
        }
        var schema = Schema(body);
        if (schema.Failed)
        {
            return schema.Error!;
        }
        var table = schema.Value.Name;
        var placeholders = Placeholders(body);
        var condition = Condition(body, "ConditionExpression", placeholders);
        switch (o.NameAt(0))
        {
            case "Put":
                if (body["Item"] is not JsonObject item)
                {
                    return ServiceError.Validation("1 validation error detected: Value null at 'transactItems.1.member.put.item' failed to satisfy constraint: Member must not be null");
                }
                placeholders.CheckAllUsed();
                if (ValidateItem(item) is { } invalid)
                {
                    return invalid;
                }
                var putKey = schema.Value.KeyOf(item, exactKey: false);
                return putKey.Failed
                    ? putKey.Error!
                    : new TransactAction(table, putKey.Value, condition, item) { Text = texts.Add(item), InsertOnly = IsAbsenceOfKey(condition, schema.Value) };
            case "Delete":
                placeholders.CheckAllUsed();
                var deleteKey = KeyOf(body, schema.Value);
                return deleteKey.Failed ? deleteKey.Error! : new TransactAction(table, deleteKey.Value, condition, null);
            case "ConditionCheck":
                placeholders.CheckAllUsed();
                var checkKey = KeyOf(body, schema.Value);
                if (checkKey.Failed)
                {
                    return checkKey.Error!;
                }
                return condition is null
                    ? ServiceError.Validation("The ConditionCheck action requires a ConditionExpression")
                    : new TransactAction(table, checkKey.Value, condition, Unchanged);
            case "Update":
                var updateKey = KeyOf(body, schema.Value);
                if (updateKey.Failed)
                {
                    return updateKey.Error!;
                }
                var updates = body["UpdateExpression"] is JsonString u ? ExpressionParser.ParseUpdate(u.Value, placeholders) : [];
                placeholders.CheckAllUsed();
                return new TransactAction(table, updateKey.Value, condition, null, Updater((JsonObject)body["Key"]!, updates));
            default:
                return ServiceError.Validation("TransactItems can only contain one of Check, Put, Update or Delete");
        }
    }
}
