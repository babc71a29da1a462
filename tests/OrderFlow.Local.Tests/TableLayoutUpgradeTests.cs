using Microsoft.Data.Sqlite;
using OrderFlow.Json;

namespace OrderFlow.Local.Tests;

/// <summary>A data directory made before items moved to a table that grows at its end: opened, upgraded, nothing lost.</summary>
public sealed class TableLayoutUpgradeTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string TableSql(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT group_concat(sql, ';') FROM sqlite_master WHERE tbl_name = 'ddb_items'";
        return (string)command.ExecuteScalar()!;
    }

    [Fact]
    public async Task Open_ItemsInTheEarlierKeyedTable_AreMovedAndStillFound()
    {
        var path = _dir.Combine("orderflow.db");
        using (var old = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            old.Open();
            using var command = old.CreateCommand();
            command.CommandText = """
                CREATE TABLE ddb_tables(name TEXT PRIMARY KEY, pk_name TEXT NOT NULL, pk_type TEXT NOT NULL, sk_name TEXT, sk_type TEXT, created TEXT NOT NULL);
                CREATE TABLE ddb_items(table_name TEXT NOT NULL, pk TEXT NOT NULL, sk TEXT NOT NULL, item TEXT NOT NULL, PRIMARY KEY(table_name, pk, sk)) WITHOUT ROWID;
                INSERT INTO ddb_tables VALUES ('orders', 'OrderId', 'S', NULL, NULL, '2026-11-30T00:00:00Z');
                INSERT INTO ddb_items VALUES ('orders', 'A-1', '', '{"OrderId":{"S":"A-1"},"qty":{"S":"1"}}');
                INSERT INTO ddb_items VALUES ('orders', 'A-2', '', '{"OrderId":{"S":"A-2"},"qty":{"S":"2"}}');
                """;
            command.ExecuteNonQuery();
        }

        await using (var cloud = LocalCloud.Open(new LocalCloudOptions { DataDirectory = _dir.Path }))
        {
            var got = await cloud.Tables.ExecuteAsync("GetItem", (JsonObject)JsonValue.Parse("""{"TableName":"orders","Key":{"OrderId":{"S":"A-2"}}}"""), CancellationToken.None);
            Assert.Equal(JsonValue.Parse("""{"Item":{"OrderId":{"S":"A-2"},"qty":{"S":"2"}}}"""), got.Value);
            var put = await cloud.Tables.ExecuteAsync("PutItem",
                (JsonObject)JsonValue.Parse("""{"TableName":"orders","Item":{"OrderId":{"S":"A-1"}},"ConditionExpression":"attribute_not_exists(OrderId)"}"""), CancellationToken.None);
            Assert.Equal("ConditionalCheckFailedException", put.Error?.Code);
            var scan = await cloud.Tables.ExecuteAsync("Scan", (JsonObject)JsonValue.Parse("""{"TableName":"orders"}"""), CancellationToken.None);
            Assert.Equal(JsonValue.FromNumber(2), scan.Value["Count"]);
        }

        var layout = TableSql(path);
        Assert.DoesNotContain("WITHOUT ROWID", layout, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("ddb_items_key", layout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_NewDataDirectory_ItemsTableGrowsAtItsEndWithAUniqueKeyIndex()
    {
        await using (var cloud = LocalCloud.Open(new LocalCloudOptions { DataDirectory = _dir.Path }))
        {
        }
        var layout = TableSql(_dir.Combine("orderflow.db"));
        Assert.Contains("id INTEGER PRIMARY KEY", layout, StringComparison.Ordinal);
        Assert.Contains("CREATE UNIQUE INDEX ddb_items_key", layout, StringComparison.Ordinal);
    }
}
