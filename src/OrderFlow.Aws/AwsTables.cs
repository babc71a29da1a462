using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using OrderFlow.Json;
using OrderFlow.Local.Integrations;
using OrderFlow.Local.Storage;
using static OrderFlow.Aws.Requests;
using Maps = OrderFlow.Aws.AttributeValues;

namespace OrderFlow.Aws;

/// <summary>
/// The DynamoDB operations the service integrations use, on Amazon DynamoDB or a compatible endpoint, in the same JSON
/// shapes and with the same error names as the embedded tables
/// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Operations.html).
/// </summary>
public sealed class AwsTables(IAmazonDynamoDB client) : IServiceApi
{
    // A request that never reached DynamoDB: transient, like the service's own InternalServerError.
    private const string Unreachable = "InternalServerError";

    public Task<ServiceResult<JsonObject>> ExecuteAsync(string operation, JsonObject request, CancellationToken cancellationToken) => operation switch
    {
        "PutItem" => CallAsync(async () => Attributes((await client.PutItemAsync(new PutItemRequest
        {
            TableName = Text(request, "TableName"),
            Item = Maps.ToSdkMap(request["Item"]),
            ConditionExpression = Text(request, "ConditionExpression"),
            ExpressionAttributeNames = Strings(request, "ExpressionAttributeNames"),
            ExpressionAttributeValues = Maps.ToSdkMap(request["ExpressionAttributeValues"]),
            ReturnValues = Text(request, "ReturnValues"),
        }, cancellationToken)).Attributes), Unreachable),
        "GetItem" => CallAsync(async () =>
        {
            var response = await client.GetItemAsync(new GetItemRequest
            {
                TableName = Text(request, "TableName"),
                Key = Maps.ToSdkMap(request["Key"]),
                ProjectionExpression = Text(request, "ProjectionExpression"),
                ExpressionAttributeNames = Strings(request, "ExpressionAttributeNames"),
                ConsistentRead = Bool(request, "ConsistentRead"),
            }, cancellationToken);
            return response.Item is { Count: > 0 } item ? new JsonObjectBuilder(1).Set("Item", Maps.FromSdkMap(item)!).Build() : JsonObject.Empty;
        }, Unreachable),
        "UpdateItem" => CallAsync(async () => Attributes((await client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = Text(request, "TableName"),
            Key = Maps.ToSdkMap(request["Key"]),
            UpdateExpression = Text(request, "UpdateExpression"),
            ConditionExpression = Text(request, "ConditionExpression"),
            ExpressionAttributeNames = Strings(request, "ExpressionAttributeNames"),
            ExpressionAttributeValues = Maps.ToSdkMap(request["ExpressionAttributeValues"]),
            ReturnValues = Text(request, "ReturnValues"),
        }, cancellationToken)).Attributes), Unreachable),
        "DeleteItem" => CallAsync(async () => Attributes((await client.DeleteItemAsync(new DeleteItemRequest
        {
            TableName = Text(request, "TableName"),
            Key = Maps.ToSdkMap(request["Key"]),
            ConditionExpression = Text(request, "ConditionExpression"),
            ExpressionAttributeNames = Strings(request, "ExpressionAttributeNames"),
            ExpressionAttributeValues = Maps.ToSdkMap(request["ExpressionAttributeValues"]),
            ReturnValues = Text(request, "ReturnValues"),
        }, cancellationToken)).Attributes), Unreachable),
        "Query" => CallAsync(async () =>
        {
            var response = await client.QueryAsync(new QueryRequest
            {
                TableName = Text(request, "TableName"),
                IndexName = Text(request, "IndexName"),
                KeyConditionExpression = Text(request, "KeyConditionExpression"),
                FilterExpression = Text(request, "FilterExpression"),
                ProjectionExpression = Text(request, "ProjectionExpression"),
                ExpressionAttributeNames = Strings(request, "ExpressionAttributeNames"),
                ExpressionAttributeValues = Maps.ToSdkMap(request["ExpressionAttributeValues"]),
                ExclusiveStartKey = Maps.ToSdkMap(request["ExclusiveStartKey"]),
                Limit = Int(request, "Limit"),
                ScanIndexForward = Bool(request, "ScanIndexForward"),
                ConsistentRead = Bool(request, "ConsistentRead"),
                Select = Text(request, "Select"),
            }, cancellationToken);
            return Page(response.Items, response.Count, response.ScannedCount, response.LastEvaluatedKey);
        }, Unreachable),
        "Scan" => CallAsync(async () =>
        {
            var response = await client.ScanAsync(new ScanRequest
            {
                TableName = Text(request, "TableName"),
                IndexName = Text(request, "IndexName"),
                FilterExpression = Text(request, "FilterExpression"),
                ProjectionExpression = Text(request, "ProjectionExpression"),
                ExpressionAttributeNames = Strings(request, "ExpressionAttributeNames"),
                ExpressionAttributeValues = Maps.ToSdkMap(request["ExpressionAttributeValues"]),
                ExclusiveStartKey = Maps.ToSdkMap(request["ExclusiveStartKey"]),
                Limit = Int(request, "Limit"),
                ConsistentRead = Bool(request, "ConsistentRead"),
                Select = Text(request, "Select"),
                Segment = Int(request, "Segment"),
                TotalSegments = Int(request, "TotalSegments"),
            }, cancellationToken);
            return Page(response.Items, response.Count, response.ScannedCount, response.LastEvaluatedKey);
        }, Unreachable),
        "BatchGetItem" => CallAsync(async () =>
        {
            var response = await client.BatchGetItemAsync(new BatchGetItemRequest { RequestItems = KeysAndAttributes(request["RequestItems"]) }, cancellationToken);
            var responses = JsonObject.Create((response.Responses ?? []).Select(t => new KeyValuePair<string, JsonValue>(t.Key,
                new JsonArray([.. t.Value.Select(i => (JsonValue)Maps.FromSdkMap(i)!)]))));
            var unprocessed = JsonObject.Create((response.UnprocessedKeys ?? []).Select(t => new KeyValuePair<string, JsonValue>(t.Key,
                new JsonObjectBuilder(1).Set("Keys", new JsonArray([.. t.Value.Keys.Select(k => (JsonValue)Maps.FromSdkMap(k)!)])).Build())));
            return new JsonObjectBuilder(2).Set("Responses", responses).Set("UnprocessedKeys", unprocessed).Build();
        }, Unreachable),
        "BatchWriteItem" => CallAsync(async () =>
        {
            var response = await client.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = WriteRequests(request["RequestItems"]) }, cancellationToken);
            var unprocessed = JsonObject.Create((response.UnprocessedItems ?? []).Select(t => new KeyValuePair<string, JsonValue>(t.Key,
                new JsonArray([.. t.Value.Select(w => (JsonValue)(w.PutRequest is { } put
                    ? new JsonObjectBuilder(1).Set("PutRequest", new JsonObjectBuilder(1).Set("Item", Maps.FromSdkMap(put.Item)!).Build()).Build()
                    : new JsonObjectBuilder(1).Set("DeleteRequest", new JsonObjectBuilder(1).Set("Key", Maps.FromSdkMap(w.DeleteRequest.Key)!).Build()).Build()))]))));
            return new JsonObjectBuilder(1).Set("UnprocessedItems", unprocessed).Build();
        }, Unreachable),
        "TransactWriteItems" => CallAsync(async () =>
        {
            await client.TransactWriteItemsAsync(new TransactWriteItemsRequest
            {
                TransactItems = [.. (request["TransactItems"] as JsonArray ?? JsonArray.Empty).Select(TransactItem)],
                ClientRequestToken = Text(request, "ClientRequestToken"),
            }, cancellationToken);
            return JsonObject.Empty;
        }, Unreachable),
        _ => Task.FromResult<ServiceResult<JsonObject>>(new ServiceError("UnknownOperationException", $"Unsupported DynamoDB operation: {operation}")),
    };

    /// <summary>One action of a TransactWriteItems request: its single member names it (Put, Update, Delete or ConditionCheck).</summary>
    public static TransactWriteItem TransactItem(JsonValue entry)
    {
        var action = entry as JsonObject ?? JsonObject.Empty;
        var body = action.Count == 1 ? action.ValueAt(0) as JsonObject ?? JsonObject.Empty : JsonObject.Empty;
        var table = Text(body, "TableName");
        var condition = Text(body, "ConditionExpression");
        var names = Strings(body, "ExpressionAttributeNames");
        var values = Maps.ToSdkMap(body["ExpressionAttributeValues"]);
        return (action.Count == 1 ? action.NameAt(0) : string.Empty) switch
        {
            "Put" => new TransactWriteItem { Put = new Put { TableName = table, Item = Maps.ToSdkMap(body["Item"]), ConditionExpression = condition, ExpressionAttributeNames = names, ExpressionAttributeValues = values } },
            "Delete" => new TransactWriteItem { Delete = new Delete { TableName = table, Key = Maps.ToSdkMap(body["Key"]), ConditionExpression = condition, ExpressionAttributeNames = names, ExpressionAttributeValues = values } },
            "Update" => new TransactWriteItem { Update = new Update { TableName = table, Key = Maps.ToSdkMap(body["Key"]), UpdateExpression = Text(body, "UpdateExpression"), ConditionExpression = condition, ExpressionAttributeNames = names, ExpressionAttributeValues = values } },
            "ConditionCheck" => new TransactWriteItem { ConditionCheck = new ConditionCheck { TableName = table, Key = Maps.ToSdkMap(body["Key"]), ConditionExpression = condition, ExpressionAttributeNames = names, ExpressionAttributeValues = values } },
            _ => throw new FormatException("TransactItems can only contain one of Check, Put, Update or Delete"),
        };
    }

    private static JsonObject Attributes(Dictionary<string, AttributeValue>? attributes) =>
        attributes is { Count: > 0 } ? new JsonObjectBuilder(1).Set("Attributes", Maps.FromSdkMap(attributes)!).Build() : JsonObject.Empty;

    private static JsonObject Page(List<Dictionary<string, AttributeValue>>? items, int? count, int? scanned, Dictionary<string, AttributeValue>? lastKey)
    {
        var page = new JsonObjectBuilder(4)
            .Set("Items", new JsonArray([.. (items ?? []).Select(i => (JsonValue)Maps.FromSdkMap(i)!)]))
            .Set("Count", count ?? 0)
            .Set("ScannedCount", scanned ?? 0);
        if (lastKey is { Count: > 0 })
        {
            page.Set("LastEvaluatedKey", Maps.FromSdkMap(lastKey)!);
        }
        return page.Build();
    }

    private static Dictionary<string, List<WriteRequest>> WriteRequests(JsonValue? requestItems) =>
        (requestItems as JsonObject ?? JsonObject.Empty).Members.ToDictionary(t => t.Key, t => (t.Value as JsonArray ?? JsonArray.Empty).Cast<JsonObject>().Select(w =>
            w["PutRequest"] is JsonObject put
                ? new WriteRequest { PutRequest = new PutRequest { Item = Maps.ToSdkMap(put["Item"]) } }
                : new WriteRequest { DeleteRequest = new DeleteRequest { Key = Maps.ToSdkMap((w["DeleteRequest"] as JsonObject)?["Key"]) } }).ToList(), StringComparer.Ordinal);

    private static Dictionary<string, KeysAndAttributes> KeysAndAttributes(JsonValue? requestItems) =>
        (requestItems as JsonObject ?? JsonObject.Empty).Members.ToDictionary(t => t.Key, t =>
        {
            var spec = t.Value as JsonObject ?? JsonObject.Empty;
            return new KeysAndAttributes
            {
                Keys = [.. (spec["Keys"] as JsonArray ?? JsonArray.Empty).Select(k => Maps.ToSdkMap(k)!)],
                ProjectionExpression = Text(spec, "ProjectionExpression"),
                ExpressionAttributeNames = Strings(spec, "ExpressionAttributeNames"),
                ConsistentRead = Bool(spec, "ConsistentRead"),
            };
        }, StringComparer.Ordinal);
}
