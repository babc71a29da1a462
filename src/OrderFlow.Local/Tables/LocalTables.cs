using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using OrderFlow.Json;
using OrderFlow.Local.Storage;
using OrderFlow.Local.Tables.Expressions;

namespace OrderFlow.Local.Tables;

/// <summary>
/// DynamoDB tables on SQLite. Operations take and return the DynamoDB API's JSON (PutItem, GetItem, BatchGetItem, UpdateItem,
/// DeleteItem, Query, Scan, BatchWriteItem, TransactWriteItems), with DynamoDB's error names. Writes go through the group-commit writer,
/// so a condition is checked and the write made atomically, and the write is durable when the call returns.
/// </summary>
public sealed partial class LocalTables(SqliteDatabase database) : Integrations.IServiceApi
{
    public const int MaxItemBytes = 400 * 1024;

    private readonly ConcurrentDictionary<string, TableSchema> _schemas = new(StringComparer.Ordinal);

    /// <summary>Creates a table; creating it again with the same key schema is a no-op (so <c>init</c> is idempotent).</summary>
    public async Task<ServiceResult<TableSchema>> CreateTableAsync(TableSchema schema, CancellationToken cancellationToken)
    {
        foreach (var type in new[] { schema.PartitionKeyType, schema.SortKeyType }.OfType<string>())
        {
            if (type is not ("S" or "N" or "B"))
            {
                return ServiceError.Validation($"Member must satisfy enum value set: [B, N, S], not {type}");
            }
        }
        return await database.WriteAsync<ServiceResult<TableSchema>>(connection =>
        {
            var existing = LoadSchema(connection, schema.Name);
            if (existing is not null)
            {
                return existing == schema ? existing : new ServiceError("ResourceInUseException", $"Table already exists with another key schema: {schema.Name}");
            }
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO ddb_tables(name, pk_name, pk_type, sk_name, sk_type, created) VALUES ($n, $pk, $pkt, $sk, $skt, $c)";
            insert.Parameters.AddWithValue("$n", schema.Name);
            insert.Parameters.AddWithValue("$pk", schema.PartitionKey);
            insert.Parameters.AddWithValue("$pkt", schema.PartitionKeyType);
            insert.Parameters.AddWithValue("$sk", (object?)schema.SortKey ?? DBNull.Value);
            insert.Parameters.AddWithValue("$skt", (object?)schema.SortKeyType ?? DBNull.Value);
            insert.Parameters.AddWithValue("$c", DateTimeOffset.UtcNow.ToString("O"));
            insert.ExecuteNonQuery();
            return schema;
        }, cancellationToken);
    }

    /// <summary>How many items <paramref name="table"/> holds now (DescribeTable's ItemCount, exact here), counted on the key index.</summary>
    public long CountItems(string table) => database.Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM ddb_items WHERE table_name = $t";
        command.Parameters.AddWithValue("$t", table);
        return (long)command.ExecuteScalar()!;
    });

    public IReadOnlyList<TableSchema> ListTables() => database.Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM ddb_tables ORDER BY name";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }
        return names.Select(n => LoadSchema(connection, n)!).ToList();
    });

    /// <summary>Runs one DynamoDB operation by its API name.</summary>
    public async Task<ServiceResult<JsonObject>> ExecuteAsync(string operation, JsonObject request, CancellationToken cancellationToken)
    {
        try
        {
            return operation switch
            {
                "PutItem" => await PutItemAsync(request, cancellationToken),
                "GetItem" => GetItem(request),
                "BatchGetItem" => BatchGetItem(request),
                "DeleteItem" => await DeleteItemAsync(request, cancellationToken),
                "UpdateItem" => await UpdateItemAsync(request, cancellationToken),
                "Query" => Query(request),
                "Scan" => Scan(request),
                "BatchWriteItem" => await BatchWriteItemAsync(request, cancellationToken),
                "TransactWriteItems" => await TransactWriteItemsAsync(request, cancellationToken),
                _ => new ServiceError("UnknownOperationException", $"Unsupported DynamoDB operation: {operation}"),
            };
        }
        catch (ExpressionException ex)
        {
            return ServiceError.Validation(ex.Message);
        }
        catch (Exception ex) when (StorageFault.IsStorageFailure(ex))
        {
            // The disk full, or an I/O error: DynamoDB's own 500, which callers retry (nothing of the request is kept).
            return new ServiceError("InternalServerError", $"The embedded table's storage failed: {ex.Message}");
        }
    }

    private ServiceResult<TableSchema> Schema(JsonObject request)
    {
        if (request["TableName"] is not JsonString { Value: var name })
        {
            return ServiceError.Validation("1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null");
        }
        return _schemas.TryGetValue(name, out var cached) ? cached : LoadSchema(name);
    }

    // Apart from the look-up, whose lambda captures the name: C# allocates a method's captured variables when the
    // method starts, so in Schema itself every call (one per action of every write) paid for it, cached or not.
    private ServiceResult<TableSchema> LoadSchema(string name)
    {
        var schema = database.Read(connection => LoadSchema(connection, name));
        if (schema is null)
        {
            return ServiceError.TableNotFound(name);
        }
        _schemas[name] = schema;
        return schema;
    }

    private static TableSchema? LoadSchema(SqliteConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT pk_name, pk_type, sk_name, sk_type FROM ddb_tables WHERE name = $n";
        command.Parameters.AddWithValue("$n", name);
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new TableSchema(name, reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3))
            : null;
    }

    private const string SelectItem = "SELECT item FROM ddb_items WHERE table_name = ?1 AND pk = ?2 AND sk = ?3";

    internal static JsonObject? LoadItem(SqliteConnection connection, string table, (string Pk, string Sk) key)
    {
        using var select = connection.Raw(SelectItem);
        BindKey(select, table, key);
        return select.Step() ? ItemTexts.Read(JsonValue.Parse(select.Utf8(0))) : null;
    }

    /// <summary>Whether the item exists, without reading it.</summary>
    internal static bool ItemExists(SqliteConnection connection, string table, (string Pk, string Sk) key)
    {
        using var select = connection.Raw("SELECT 1 FROM ddb_items WHERE table_name = ?1 AND pk = ?2 AND sk = ?3");
        BindKey(select, table, key);
        return select.Step();
    }

    internal static void StoreItem(SqliteConnection connection, string table, (string Pk, string Sk) key, JsonObject item)
    {
        using var text = new ItemTexts(capacityHint: 0);
        StoreItem(connection, table, key, text.Add(item).Span);
    }

    /// <summary>Stores an item given as its text (an <see cref="ItemText"/>, written before the write was queued).</summary>
    internal static void StoreItem(SqliteConnection connection, string table, (string Pk, string Sk) key, ReadOnlySpan<byte> itemText)
    {
        using var insert = connection.Raw("INSERT OR REPLACE INTO ddb_items(table_name, pk, sk, item) VALUES (?1, ?2, ?3, ?4)");
        BindKey(insert, table, key);
        insert.Bind(4, itemText);
        insert.Step();
    }

    /// <summary>Inserts an item that must not exist yet: false, and nothing written, when an item has its key.</summary>
    internal static bool InsertItem(SqliteConnection connection, string table, (string Pk, string Sk) key, ReadOnlySpan<byte> itemText)
    {
        using var insert = connection.Raw("INSERT OR IGNORE INTO ddb_items(table_name, pk, sk, item) VALUES (?1, ?2, ?3, ?4)");
        BindKey(insert, table, key);
        insert.Bind(4, itemText);
        insert.Step();
        return insert.Changes == 1;
    }

    /// <summary>
    /// Whether a condition holds exactly when the item does not exist: <c>attribute_not_exists</c> of a key attribute
    /// (every stored item has its key attributes, and an item to be written always has them too).
    /// </summary>
    private static bool IsAbsenceOfKey(ConditionNode? condition, TableSchema schema) =>
        condition is FunctionNode { Name: "attribute_not_exists", Path.Elements: [string attribute] } && schema.IsKey(attribute);

    internal static void DeleteStored(SqliteConnection connection, string table, (string Pk, string Sk) key)
    {
        using var delete = connection.Raw("DELETE FROM ddb_items WHERE table_name = ?1 AND pk = ?2 AND sk = ?3");
        BindKey(delete, table, key);
        delete.Step();
    }

    private static void BindKey(RawStatement statement, string table, (string Pk, string Sk) key)
    {
        statement.Bind(1, table);
        statement.Bind(2, key.Pk);
        statement.Bind(3, key.Sk);
    }

    private static readonly ServiceError ConditionFailed = new("ConditionalCheckFailedException", "The conditional request failed");

    private const int MaxCachedConditions = 1024;
    private static readonly ConcurrentDictionary<(string Text, string? Names), ConditionNode> ValueFreeConditions = new();

    /// <summary>
    /// Parses a condition. One without <c>:values</c> (such as the insert-only <c>attribute_not_exists(pk)</c>) is the
    /// same for every request, so it is parsed once and kept.
    /// </summary>
    private static ConditionNode? Condition(JsonObject request, string field, ExpressionPlaceholders placeholders)
    {
        if (request[field] is not JsonString { Value: var text })
        {
            return null;
        }
        if (request["ExpressionAttributeValues"] is not null || text.Contains(':', StringComparison.Ordinal))
        {
            return ExpressionParser.ParseCondition(text, placeholders);
        }
        var key = (text, (request["ExpressionAttributeNames"] as JsonObject)?.ToJsonString());
        if (ValueFreeConditions.TryGetValue(key, out var cached))
        {
            placeholders.MarkNamesUsed(text);
            return cached;
        }
        var parsed = ExpressionParser.ParseCondition(text, placeholders);
        if (ValueFreeConditions.Count < MaxCachedConditions)
        {
            ValueFreeConditions[key] = parsed;
        }
        return parsed;
    }

    private static ExpressionPlaceholders Placeholders(JsonObject request)
    {
        var names = request["ExpressionAttributeNames"] as JsonObject;
        var values = request["ExpressionAttributeValues"] as JsonObject;
        return names is null && values is null ? ExpressionPlaceholders.None : new(names, values);
    }

    private static ServiceResult<string> ReturnValues(JsonObject request, params string[] allowed)
    {
        var value = (request["ReturnValues"] as JsonString)?.Value ?? "NONE";
        return allowed.Contains(value) ? value : ServiceError.Validation($"ReturnValues {value} is not valid here; use one of {string.Join(", ", allowed)}");
    }

    private static JsonObject WithAttributes(JsonObject? attributes) =>
        attributes is null ? JsonObject.Empty : new JsonObjectBuilder(1).Set("Attributes", attributes).Build();
}
