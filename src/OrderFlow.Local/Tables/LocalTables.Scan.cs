using Microsoft.Data.Sqlite;
using OrderFlow.Json;
using OrderFlow.Local.Storage;
using OrderFlow.Local.Tables.Expressions;

namespace OrderFlow.Local.Tables;

/// <summary>Scan: a page at a time, read from the key index, never the whole table.</summary>
public sealed partial class LocalTables
{
    /// <summary>
    /// What one page of a Scan reads at most, as DynamoDB's does: "a single Scan request can retrieve a maximum
    /// of 1 MB of data" (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html#Scan.Pagination).
    /// Here the bytes of the items' stored texts are counted, before any filter.
    /// </summary>
    internal const int MaxPageBytes = 1 << 20;

    private ServiceResult<JsonObject> Scan(JsonObject request)
    {
        var schema = Schema(request);
        if (schema.Failed)
        {
            return schema.Error!;
        }
        var placeholders = Placeholders(request);
        var filter = Condition(request, "FilterExpression", placeholders);
        var projection = request["ProjectionExpression"] is JsonString p ? ExpressionParser.ParsePaths(p.Value, placeholders) : null;
        placeholders.CheckAllUsed();
        (string Pk, string Sk)? after = null;
        if (request["ExclusiveStartKey"] is JsonObject startKey)
        {
            var key = schema.Value.KeyOf(startKey, exactKey: true);
            if (key.Failed)
            {
                return key.Error!;
            }
            after = key.Value;
        }
        var segment = Segment(request);
        if (segment.Failed)
        {
            return segment.Error!;
        }
        var limit = request["Limit"] is JsonNumber n && n.TryGetInt64(out var l) && l > 0 ? (int)Math.Min(l, int.MaxValue - 1) : int.MaxValue - 1;
        var (scanned, more) = database.Read(connection => ReadPage(connection, schema.Value.Name, after, limit, segment.Value));
        var kept = scanned.Where(i => filter?.Evaluate(i) ?? true).Select(i => (JsonValue)Project(i, projection)).ToArray();
        var response = new JsonObjectBuilder(4)
            .Set("Items", new JsonArray(kept))
            .Set("Count", kept.Length)
            .Set("ScannedCount", scanned.Count);
        if (more && scanned.Count > 0)
        {
            response.Set("LastEvaluatedKey", JsonObject.Create(scanned[^1].Members.Where(m => schema.Value.IsKey(m.Key))));
        }
        return response.Build();
    }

    /// <summary>
    /// Up to <paramref name="limit"/> items of the table in key order (the stored key texts, byte by byte), after the
    /// key <paramref name="after"/>, and at most <see cref="MaxPageBytes"/> of them; and whether any item is left.
    /// </summary>
    private static (List<JsonObject> Items, bool More) ReadPage(SqliteConnection connection, string table, (string Pk, string Sk)? after, int limit, ScanSegment? segment)
    {
        // The unique key index (table_name, pk, sk) gives both the order and the start: no item before it is read. The
        // items' texts are parsed from SQLite's own UTF-8 bytes (no .NET string between). A segment's page steps over the
        // other segments' rows without parsing them, and so reads on past as many rows as it needs (LIMIT -1: none).
        using var select = connection.Raw(after is null
            ? "SELECT item, pk FROM ddb_items WHERE table_name = ?1 ORDER BY pk, sk LIMIT ?4"
            : "SELECT item, pk FROM ddb_items WHERE table_name = ?1 AND (pk, sk) > (?2, ?3) ORDER BY pk, sk LIMIT ?4");
        select.Bind(1, table);
        if (after is { } key)
        {
            select.Bind(2, key.Pk);
            select.Bind(3, key.Sk);
        }
        select.Bind(4, segment is null ? (long)limit + 1 : -1L);
        var items = new List<JsonObject>();
        var bytes = 0L;
        while (select.Step())
        {
            if (segment is { } s && !s.Holds(select.Utf8(1)))
            {
                continue;
            }
            if (items.Count == limit || bytes >= MaxPageBytes)
            {
                return (items, true);
            }
            var text = select.Utf8(0);
            bytes += text.Length;
            items.Add(ItemTexts.Read(JsonValue.Parse(text)));
        }
        return (items, false);
    }

    /// <summary>
    /// A parallel Scan's part: Segment of TotalSegments. The segments split the items by their partition key, each in
    /// exactly one, as DynamoDB's do (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html#Scan.ParallelScan);
    /// here by a 32-bit FNV-1a hash of the stored key text, which never changes for an item.
    /// </summary>
    private readonly record struct ScanSegment(int Segment, int TotalSegments)
    {
        public bool Holds(ReadOnlySpan<byte> partitionKey)
        {
            var hash = 2166136261u;
            foreach (var b in partitionKey)
            {
                hash = (hash ^ b) * 16777619u;
            }
            return hash % (uint)TotalSegments == (uint)Segment;
        }
    }

    /// <summary>The request's Segment and TotalSegments, checked as DynamoDB checks them; null for a whole-table Scan.</summary>
    private static ServiceResult<ScanSegment?> Segment(JsonObject request)
    {
        var segment = request["Segment"];
        var total = request["TotalSegments"];
        if (segment is null && total is null)
        {
            return (ScanSegment?)null;
        }
        if (segment is null || total is null)
        {
            return ServiceError.Validation(segment is null
                ? "The Segment parameter is required but was not present in the request when parameter TotalSegments is present"
                : "The TotalSegments parameter is required but was not present in the request when Segment parameter is present");
        }
        if (total is not JsonNumber t || !t.TryGetInt64(out var count) || count is < 1 or > 1_000_000)
        {
            return ServiceError.Validation($"1 validation error detected: Value '{total.ToJsonString()}' at 'totalSegments' failed to satisfy constraint: Member must have value between 1 and 1000000");
        }
        if (segment is not JsonNumber g || !g.TryGetInt64(out var index) || index < 0)
        {
            return ServiceError.Validation($"1 validation error detected: Value '{segment.ToJsonString()}' at 'segment' failed to satisfy constraint: Member must have value greater than or equal to 0");
        }
        if (index >= count)
        {
            return ServiceError.Validation($"The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: {index} is not less than TotalSegments: {count}");
        }
        return (ScanSegment?)new ScanSegment((int)index, (int)count);
    }
}
