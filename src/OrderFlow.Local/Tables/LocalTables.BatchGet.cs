using OrderFlow.Json;
using OrderFlow.Local.Storage;
using OrderFlow.Local.Tables.Expressions;

namespace OrderFlow.Local.Tables;

/// <summary>BatchGetItem.</summary>
public sealed partial class LocalTables
{
    private const int MaxBatchGet = 100;

    /// <summary>
    /// BatchGetItem (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html): up to 100
    /// keys over one or more tables, no key twice; every item found, projected, under <c>Responses</c> by table name
    /// (a key with no item is simply absent), and an empty <c>UnprocessedKeys</c> (one process reads all at once).
    /// Reads are always consistent here.
    /// </summary>
    private ServiceResult<JsonObject> BatchGetItem(JsonObject request)
    {
        if (request["RequestItems"] is not JsonObject tables || tables.Count == 0)
        {
            return ServiceError.Validation("RequestItems must hold at least one table");
        }
        var lookups = new List<(string Table, List<(string Pk, string Sk)> Keys, IReadOnlyList<DocumentPath>? Projection)>();
        var total = 0;
        foreach (var (tableName, entry) in tables.Members)
        {
            var schema = Schema(new JsonObjectBuilder(1).Set("TableName", tableName).Build());
            if (schema.Failed)
            {
                return schema.Error!;
            }
            if (entry is not JsonObject spec || spec["Keys"] is not JsonArray { Count: > 0 } keys)
            {
                return ServiceError.Validation($"RequestItems.{tableName} needs Keys, a list of at least one key");
            }
            var placeholders = Placeholders(spec);
            var projection = spec["ProjectionExpression"] is JsonString p ? ExpressionParser.ParsePaths(p.Value, placeholders) : null;
            placeholders.CheckAllUsed();
            var parsed = new List<(string Pk, string Sk)>(keys.Count);
            foreach (var keyValue in keys)
            {
                var key = keyValue is JsonObject keyObject
                    ? schema.Value.KeyOf(keyObject, exactKey: true)
                    : ServiceError.Validation("Each entry of Keys must be a key: its attributes by name");
                if (key.Failed)
                {
                    return key.Error!;
                }
                if (parsed.Contains(key.Value))
                {
                    return ServiceError.Validation("Provided list of item keys contains duplicates");
                }
                parsed.Add(key.Value);
            }
            total += parsed.Count;
            lookups.Add((tableName, parsed, projection));
        }
        if (total > MaxBatchGet)
        {
            return ServiceError.Validation($"Too many items requested for the BatchGetItem call: {total} (at most {MaxBatchGet})");
        }
        var responses = database.Read(connection => lookups.Select(lookup => new KeyValuePair<string, JsonValue>(lookup.Table, new JsonArray([..
            lookup.Keys.Select(key => LoadItem(connection, lookup.Table, key)).OfType<JsonObject>().Select(item => (JsonValue)Project(item, lookup.Projection))]))).ToList());
        return new JsonObjectBuilder(2).Set("Responses", JsonObject.Create(responses)).Set("UnprocessedKeys", JsonObject.Empty).Build();
    }
}
