using OrderFlow.Json;
using OrderFlow.Local.Storage;
using OrderFlow.Local.Tables.Expressions;

namespace OrderFlow.Local.Tables;

/// <summary>Query and BatchWriteItem.</summary>
public sealed partial class LocalTables
{
    private const int MaxBatchWrite = 25;

    private ServiceResult<JsonObject> Query(JsonObject request)
    {
        var schema = Schema(request);
        if (schema.Failed)
        {
            return schema.Error!;
        }
        if (request["KeyConditionExpression"] is not JsonString keyText)
        {
            return ServiceError.Validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
        }
        var placeholders = Placeholders(request);
        var keyCondition = ExpressionParser.ParseCondition(keyText.Value, placeholders);
        var filter = Condition(request, "FilterExpression", placeholders);
        var projection = request["ProjectionExpression"] is JsonString p ? ExpressionParser.ParsePaths(p.Value, placeholders) : null;
        placeholders.CheckAllUsed();
        var pkValue = PartitionValue(keyCondition, schema.Value);
        if (pkValue is null)
        {
            return ServiceError.Validation($"Query condition missed key schema element: {schema.Value.PartitionKey}");
        }
        var items = database.Read(connection => LoadPartition(connection, schema.Value.Name, AttributeValues.KeyText(pkValue)))
            .Where(keyCondition.Evaluate).ToList();
        if (schema.Value.SortKey is { } sk)
        {
            items.Sort((a, b) => AttributeValues.Compare(a[sk]!, b[sk]!) ?? 0);
        }
        if (request["ScanIndexForward"] is JsonBoolean { Value: false })
        {
            items.Reverse();
        }
        return Page(schema.Value, items, request, filter, projection);
    }

    /// <summary>The value the key condition requires of the partition key (<c>pk = :v</c>, alone or ANDed with a sort key condition).</summary>
    private static JsonValue? PartitionValue(ConditionNode node, TableSchema schema) => node switch
    {
        CompareNode { Op: "=", Left: PathOperand path, Right: ValueOperand value } when path.Path.Elements.Count == 1 && path.Path.TopName == schema.PartitionKey
            => value.Evaluate(JsonObject.Empty),
        AndNode and => PartitionValue(and.Left, schema) ?? PartitionValue(and.Right, schema),
        _ => null,
    };

    private ServiceResult<JsonObject> Page(TableSchema schema, List<JsonObject> items, JsonObject request, ConditionNode? filter, IReadOnlyList<DocumentPath>? projection)
    {
        var start = 0;
        if (request["ExclusiveStartKey"] is JsonObject startKey)
        {
            var key = schema.KeyOf(startKey, exactKey: true);
            if (key.Failed)
            {
                return key.Error!;
            }
            var at = items.FindIndex(i => schema.KeyOf(i, exactKey: false).Value == key.Value);
            start = at < 0 ? items.Count : at + 1;
        }
        var limit = request["Limit"] is JsonNumber n && n.TryGetInt64(out var l) && l > 0 ? (int)l : int.MaxValue;
        var scanned = items.Skip(start).Take(limit).ToList();
        var kept = scanned.Where(i => filter?.Evaluate(i) ?? true).Select(i => Project(i, projection)).ToArray();
        var response = new JsonObjectBuilder(4)
            .Set("Items", new JsonArray(kept))
            .Set("Count", kept.Length)
            .Set("ScannedCount", scanned.Count);
        if (start + scanned.Count < items.Count && scanned.Count > 0)
        {
            var last = scanned[^1];
            response.Set("LastEvaluatedKey", JsonObject.Create(last.Members.Where(m => schema.IsKey(m.Key))));
        }
        return response.Build();
    }

    /// <summary>Every item of one partition (a Query reads its partition whole, then sorts, filters and pages it).</summary>
    private static List<JsonObject> LoadPartition(Microsoft.Data.Sqlite.SqliteConnection connection, string table, string pk)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT item FROM ddb_items WHERE table_name = $t AND pk = $p ORDER BY sk";
        command.Parameters.AddWithValue("$t", table);
        command.Parameters.AddWithValue("$p", pk);
        using var reader = command.ExecuteReader();
        var items = new List<JsonObject>();
        while (reader.Read())
        {
            items.Add(ItemTexts.Read(JsonValue.Parse(reader.GetString(0))));
        }
        return items;
    }

    private async Task<ServiceResult<JsonObject>> BatchWriteItemAsync(JsonObject request, CancellationToken cancellationToken)
    {
        if (request["RequestItems"] is not JsonObject tables || tables.Count == 0)
        {
            return ServiceError.Validation("RequestItems must hold at least one table");
        }
        var writes = new List<(string Table, (string Pk, string Sk) Key, JsonObject? Item)>();
        foreach (var (tableName, requests) in tables.Members)
        {
            var schema = Schema(new JsonObjectBuilder(1).Set("TableName", tableName).Build());
            if (schema.Failed)
            {
                return schema.Error!;
            }
            foreach (var entry in (requests as JsonArray) ?? JsonArray.Empty)
            {
                var put = (entry as JsonObject)?["PutRequest"] as JsonObject;
                var delete = (entry as JsonObject)?["DeleteRequest"] as JsonObject;
                var item = put?["Item"] as JsonObject;
                var keyObject = item ?? delete?["Key"] as JsonObject;
                if (keyObject is null)
                {
                    return ServiceError.Validation("Each write request needs a PutRequest with an Item or a DeleteRequest with a Key");
                }
                if (item is not null && ValidateItem(item) is { } invalid)
                {
                    return invalid;
                }
                var key = schema.Value.KeyOf(keyObject, exactKey: item is null);
                if (key.Failed)
                {
                    return key.Error!;
                }
                if (writes.Any(w => w.Table == tableName && w.Key == key.Value))
                {
                    return ServiceError.Validation("Provided list of item keys contains duplicates");
                }
                writes.Add((tableName, key.Value, item));
            }
        }
        if (writes.Count is 0 or > MaxBatchWrite)
        {
            return ServiceError.Validation($"Too many items requested for the BatchWriteItem call: {writes.Count} (1 to {MaxBatchWrite})");
        }
        // The items' text is written here, on the caller's thread: the single writer only copies it.
        var itemTexts = new ItemTexts(writes.Count * 512);
        var texts = writes.Select(w => w.Item is null ? (ItemText?)null : itemTexts.Add(w.Item)).ToArray();
        var result = await database.WriteAsync<ServiceResult<JsonObject>>(connection =>
        {
            for (var i = 0; i < writes.Count; i++)
            {
                var (table, key, _) = writes[i];
                if (texts[i] is { } text)
                {
                    StoreItem(connection, table, key, text.Span);
                }
                else
                {
                    DeleteStored(connection, table, key);
                }
            }
            return new JsonObjectBuilder(1).Set("UnprocessedItems", JsonObject.Empty).Build();
        }, cancellationToken);
        itemTexts.Dispose(); // settled: the pooled bytes go back (after a cancelled wait they are left to the GC)
        return result;
    }
}
