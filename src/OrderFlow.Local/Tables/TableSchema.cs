using Microsoft.Data.Sqlite;
using OrderFlow.Json;
using OrderFlow.Local.Storage;

namespace OrderFlow.Local.Tables;

/// <summary>A table's name and key schema: a partition key and an optional sort key, each S, N or B.</summary>
public sealed record TableSchema(string Name, string PartitionKey, string PartitionKeyType, string? SortKey, string? SortKeyType)
{
    // Key names are interned, as parsed member names are (OrderFlow.Json's name table): looking a key up in an item is
    // then a comparison of references, not of characters.
    public string PartitionKey { get; init; } = string.Intern(PartitionKey);

    public string? SortKey { get; init; } = SortKey is null ? null : string.Intern(SortKey);

    // Items live in a table that grows at its end, found through a compact unique index on their key: an item with a
    // random key (a UUID OrderId) then costs one small index page per write instead of a page of items, which cut the
    // bytes written for random keys 2.6-fold (docs/performance.md). Items are one row each, their JSON text.
    private const string ItemsTable =
        "CREATE TABLE IF NOT EXISTS ddb_items(id INTEGER PRIMARY KEY, table_name TEXT NOT NULL, pk TEXT NOT NULL, sk TEXT NOT NULL, item TEXT NOT NULL)";

    internal static readonly string[] Sql =
    [
        "CREATE TABLE IF NOT EXISTS ddb_tables(name TEXT PRIMARY KEY, pk_name TEXT NOT NULL, pk_type TEXT NOT NULL, sk_name TEXT, sk_type TEXT, created TEXT NOT NULL)",
        ItemsTable,
    ];

    /// <summary>
    /// Moves the items of a data directory made before 2026-12-01 (a WITHOUT ROWID table keyed by table, pk and sk) to
    /// the current layout, in one transaction, then makes sure the key index exists.
    /// </summary>
    internal static void Upgrade(SqliteConnection connection) => SqliteDatabase.InWriteTransaction(connection, MoveToCurrentLayout);

    private static void MoveToCurrentLayout(SqliteConnection connection)
    {
        using var layout = connection.CreateCommand();
        layout.CommandText = "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'ddb_items'";
        if (layout.ExecuteScalar() is string sql && sql.Contains("WITHOUT ROWID", StringComparison.OrdinalIgnoreCase))
        {
            SqliteDatabase.Execute(connection, "ALTER TABLE ddb_items RENAME TO ddb_items_keyed");
            SqliteDatabase.Execute(connection, ItemsTable);
            SqliteDatabase.Execute(connection, "INSERT INTO ddb_items(table_name, pk, sk, item) SELECT table_name, pk, sk, item FROM ddb_items_keyed");
            SqliteDatabase.Execute(connection, "DROP TABLE ddb_items_keyed");
        }
        SqliteDatabase.Execute(connection, "CREATE UNIQUE INDEX IF NOT EXISTS ddb_items_key ON ddb_items(table_name, pk, sk)");
    }

    /// <summary>The stored key of an item or Key object, or why it is not a valid key for this table.</summary>
    internal ServiceResult<(string Pk, string Sk)> KeyOf(JsonObject attributes, bool exactKey)
    {
        if (exactKey)
        {
            var expected = SortKey is null ? 1 : 2;
            if (attributes.Count != expected || !attributes.ContainsKey(PartitionKey) || (SortKey is not null && !attributes.ContainsKey(SortKey)))
            {
                return ServiceError.Validation("The provided key element does not match the schema");
            }
        }
        var pk = KeyPart(attributes, PartitionKey, PartitionKeyType);
        if (pk.Failed)
        {
            return pk.Error!;
        }
        if (SortKey is null)
        {
            return (pk.Value, string.Empty);
        }
        var sk = KeyPart(attributes, SortKey, SortKeyType!);
        return sk.Failed ? sk.Error! : (pk.Value, sk.Value);
    }

    private static ServiceResult<string> KeyPart(JsonObject attributes, string name, string type)
    {
        if (attributes[name] is not { } value)
        {
            return ServiceError.Validation($"One or more parameter values were invalid: Missing the key {name} in the item");
        }
        var actual = AttributeValues.TypeOf(value);
        if (actual != type)
        {
            return ServiceError.Validation($"One or more parameter values were invalid: Type mismatch for key {name} expected: {type} actual: {actual}");
        }
        var text = AttributeValues.KeyText(value);
        return text.Length == 0
            ? ServiceError.Validation($"One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: {name}")
            : text;
    }

    public bool IsKey(string attribute) => attribute == PartitionKey || attribute == SortKey;
}
