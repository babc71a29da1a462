using OrderFlow.Json;
using OrderFlow.Local.Storage;

namespace OrderFlow.Local.Tables;

/// <summary>A table's name and key schema: a partition key and an optional sort key, each S, N or B.</summary>
public sealed record TableSchema(string Name, string PartitionKey, string PartitionKeyType, string? SortKey, string? SortKeyType)
{
    internal static readonly string[] Sql =
    [
        "CREATE TABLE IF NOT EXISTS ddb_tables(name TEXT PRIMARY KEY, pk_name TEXT NOT NULL, pk_type TEXT NOT NULL, sk_name TEXT, sk_type TEXT, created TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS ddb_items(table_name TEXT NOT NULL, pk TEXT NOT NULL, sk TEXT NOT NULL, item TEXT NOT NULL, PRIMARY KEY(table_name, pk, sk)) WITHOUT ROWID",
    ];

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
