using OrderFlow.Json;
using OrderFlow.Local.Storage;
using OrderFlow.Local.Tables.Expressions;

namespace OrderFlow.Local.Tables;

/// <summary>PutItem, GetItem, DeleteItem, UpdateItem.</summary>
public sealed partial class LocalTables
{
    private async Task<ServiceResult<JsonObject>> PutItemAsync(JsonObject request, CancellationToken cancellationToken)
    {
        var schema = Schema(request);
        if (schema.Failed)
        {
            return schema.Error!;
        }
        if (request["Item"] is not JsonObject item)
        {
            return ServiceError.Validation("1 validation error detected: Value null at 'item' failed to satisfy constraint: Member must not be null");
        }
        if (ValidateItem(item) is { } invalid)
        {
            return invalid;
        }
        var key = schema.Value.KeyOf(item, exactKey: false);
        if (key.Failed)
        {
            return key.Error!;
        }
        var placeholders = Placeholders(request);
        var condition = Condition(request, "ConditionExpression", placeholders);
        placeholders.CheckAllUsed();
        var returnValues = ReturnValues(request, "NONE", "ALL_OLD");
        if (returnValues.Failed)
        {
            return returnValues.Error!;
        }
        var table = schema.Value.Name;
        return await ConditionalWriteAsync(table, key.Value, condition, (connection, old) =>
        {
            StoreItem(connection, table, key.Value, item);
            return WithAttributes(returnValues.Value == "ALL_OLD" ? old : null);
        }, cancellationToken);
    }

    private ServiceResult<JsonObject> GetItem(JsonObject request)
    {
        var schema = Schema(request);
        if (schema.Failed)
        {
            return schema.Error!;
        }
        var key = KeyOf(request, schema.Value);
        if (key.Failed)
        {
            return key.Error!;
        }
        var placeholders = Placeholders(request);
        var projection = request["ProjectionExpression"] is JsonString p ? ExpressionParser.ParsePaths(p.Value, placeholders) : null;
        placeholders.CheckAllUsed();
        var item = database.Read(connection => LoadItem(connection, schema.Value.Name, key.Value));
        return item is null ? JsonObject.Empty : new JsonObjectBuilder(1).Set("Item", Project(item, projection)).Build();
    }

    private async Task<ServiceResult<JsonObject>> DeleteItemAsync(JsonObject request, CancellationToken cancellationToken)
    {
        var schema = Schema(request);
        if (schema.Failed)
        {
            return schema.Error!;
        }
        var key = KeyOf(request, schema.Value);
        if (key.Failed)
        {
            return key.Error!;
        }
        var placeholders = Placeholders(request);
        var condition = Condition(request, "ConditionExpression", placeholders);
        placeholders.CheckAllUsed();
        var returnValues = ReturnValues(request, "NONE", "ALL_OLD");
        if (returnValues.Failed)
        {
            return returnValues.Error!;
        }
        var table = schema.Value.Name;
        return await ConditionalWriteAsync(table, key.Value, condition, (connection, old) =>
        {
            if (old is not null)
            {
                DeleteStored(connection, table, key.Value);
            }
            return WithAttributes(returnValues.Value == "ALL_OLD" ? old : null);
        }, cancellationToken);
    }

    private async Task<ServiceResult<JsonObject>> UpdateItemAsync(JsonObject request, CancellationToken cancellationToken)
    {
        var schema = Schema(request);
        if (schema.Failed)
        {
            return schema.Error!;
        }
        var key = KeyOf(request, schema.Value);
        if (key.Failed)
        {
            return key.Error!;
        }
        var keyObject = (JsonObject)request["Key"]!;
        var placeholders = Placeholders(request);
        var actions = request["UpdateExpression"] is JsonString u ? ExpressionParser.ParseUpdate(u.Value, placeholders) : [];
        var condition = Condition(request, "ConditionExpression", placeholders);
        placeholders.CheckAllUsed();
        if (actions.FirstOrDefault(a => schema.Value.IsKey(a.Path.TopName)) is { } keyAction)
        {
            return ServiceError.Validation($"One or more parameter values were invalid: Cannot update attribute {keyAction.Path.TopName}. This attribute is part of the key");
        }
        var returnValues = ReturnValues(request, "NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW");
        if (returnValues.Failed)
        {
            return returnValues.Error!;
        }
        var table = schema.Value.Name;
        return await ConditionalWriteAsync(table, key.Value, condition, (connection, old) =>
        {
            var updated = old ?? keyObject;
            foreach (var action in actions)
            {
                updated = action.Apply(updated);
            }
            if (ValidateItem(updated) is { } invalid)
            {
                return invalid;
            }
            StoreItem(connection, table, key.Value, updated);
            var changed = actions.Select(a => a.Path.TopName).ToHashSet();
            return WithAttributes(returnValues.Value switch
            {
                "ALL_OLD" => old,
                "ALL_NEW" => updated,
                "UPDATED_OLD" => old is null ? null : Only(old, changed),
                "UPDATED_NEW" => Only(updated, changed),
                _ => null,
            });
        }, cancellationToken);
    }

    /// <summary>
    /// One write of one item, in the writer's transaction: the stored item is read, the condition (if any) checked
    /// against it, and only then <paramref name="write"/> runs — so the check and the write are atomic.
    /// </summary>
    private Task<ServiceResult<JsonObject>> ConditionalWriteAsync(string table, (string Pk, string Sk) key, ConditionNode? condition,
        Func<Microsoft.Data.Sqlite.SqliteConnection, JsonObject?, ServiceResult<JsonObject>> write, CancellationToken cancellationToken) =>
        database.WriteAsync(connection =>
        {
            var old = LoadItem(connection, table, key);
            return condition is not null && !condition.Evaluate(old ?? JsonObject.Empty) ? ConditionFailed : write(connection, old);
        }, cancellationToken);

    private static ServiceResult<(string Pk, string Sk)> KeyOf(JsonObject request, TableSchema schema) =>
        request["Key"] is JsonObject key
            ? schema.KeyOf(key, exactKey: true)
            : ServiceError.Validation("1 validation error detected: Value null at 'key' failed to satisfy constraint: Member must not be null");

    private static JsonObject? Only(JsonObject item, HashSet<string> names)
    {
        var selected = JsonObject.Create(item.Members.Where(m => names.Contains(m.Key)));
        return selected.Count == 0 ? null : selected;
    }

    private static ServiceError? ValidateItem(JsonObject item)
    {
        for (var i = 0; i < item.Count; i++)
        {
            if (AttributeValues.Validate(item.ValueAt(i), item.NameAt(i)) is { } error)
            {
                return ServiceError.Validation(error.StartsWith(AttributeValues.NestingExceeded, StringComparison.Ordinal)
                    ? error
                    : "One or more parameter values were invalid: " + error);
            }
        }
        // An item's JSON text is never smaller than its DynamoDB size (every name and value is in it, at least as
        // long: escapes, quotes, base64, "true" for a BOOL's one byte), and that size is usually known already: a state
        // output that holds the item measured it. Only an item whose text is over the limit is measured DynamoDB's way.
        return item.Utf8Size > MaxItemBytes && AttributeValues.ItemSize(item) > MaxItemBytes
            ? ServiceError.Validation("Item size has exceeded the maximum allowed size")
            : null;
    }

    private static JsonObject Project(JsonObject item, IReadOnlyList<DocumentPath>? projection)
    {
        if (projection is null)
        {
            return item;
        }
        var result = JsonObject.Empty;
        foreach (var path in projection)
        {
            if (path.Get(item) is { } value)
            {
                result = path.Elements.Count == 1 ? result.SetItem(path.TopName, value) : result.SetItem(path.TopName, item[path.TopName]!);
            }
        }
        return result;
    }
}
