using Microsoft.Data.Sqlite;
using OrderFlow.Json;
using OrderFlow.Local.Storage;
using OrderFlow.Local.Tables;

namespace OrderFlow.Local.Tests;

/// <summary>
/// The data directory's storage failing (the disk full): a write fails alone with SQLITE_FULL and the writer goes on;
/// the services answer with their internal error instead of throwing; executions stop at once; nothing is left
/// half-written. A full disk is made by capping the database's pages (<c>PRAGMA max_page_count</c>).
/// https://www.sqlite.org/pragma.html#pragma_max_page_count
/// </summary>
public sealed class StorageFailureTests : IDisposable
{
    private const int SqliteFull = 13;

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    // Caps the database at the pages it has now (plus one): the next write that needs a new page fails with SQLITE_FULL.
    private static Task Fill(SqliteDatabase database) => database.WriteAsync(c =>
    {
        SqliteDatabase.Execute(c, $"PRAGMA max_page_count = {SqliteDatabase.Pragma(c, "page_count") + 1}");
        return 0;
    }, CancellationToken.None);

    private static Task Free(SqliteDatabase database) => database.WriteAsync(c =>
    {
        SqliteDatabase.Execute(c, "PRAGMA max_page_count = 1073741823");
        return 0;
    }, CancellationToken.None);

    private static int InsertLarge(SqliteConnection connection)
    {
        SqliteDatabase.Execute(connection, "INSERT INTO t(v) VALUES (randomblob(200000))");
        return 1;
    }

    private static async Task Cancelled(CancellationToken token)
    {
        var cancelled = new TaskCompletionSource();
        using var registration = token.Register(cancelled.SetResult);
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
    }

    [Fact]
    public async Task WriteAsync_DatabaseFull_FailsWithFullReportsTheFaultAndTheWriterGoesOnOnceThereIsRoom()
    {
        using var fault = new StorageFault();
        await using var database = new SqliteDatabase(_dir.Combine("test.db"), ["CREATE TABLE IF NOT EXISTS t(k INTEGER PRIMARY KEY, v BLOB)"], null, fault);
        await Fill(database);

        var full = await Assert.ThrowsAsync<SqliteException>(() => database.WriteAsync(InsertLarge, CancellationToken.None));

        Assert.Equal(SqliteFull, full.SqliteErrorCode);
        Assert.True(StorageFault.IsStorageFailure(full));
        Assert.Same(full, fault.First);
        await Cancelled(fault.Token);
        await Free(database);
        Assert.Equal(1, await database.WriteAsync(InsertLarge, CancellationToken.None));
    }

    [Fact]
    public void InWriteTransaction_SqliteRolledBackItself_ThrowsTheErrorThatMatters()
    {
        // After SQLITE_FULL or SQLITE_IOERR, SQLite may have ended the transaction itself; a ROLLBACK then fails with
        // "no transaction is active", which used to hide the real error.
        using var connection = new SqliteConnection($"Data Source={_dir.Combine("t.db")};Pooling=False");
        connection.Open();
        var error = new SqliteException("database or disk is full", SqliteFull);

        var thrown = Assert.Throws<SqliteException>(() => SqliteDatabase.InWriteTransaction(connection, c =>
        {
            SqliteDatabase.Execute(c, "ROLLBACK");
            throw error;
        }));

        Assert.Same(error, thrown);
        Assert.False(SqliteDatabase.InTransaction(connection));
    }

    [Fact]
    public async Task Services_StorageFull_AnswerWithTheirInternalErrorAndExecutionsStopAtOnce()
    {
        // Real time: the Wait below lasts an hour unless the execution is stopped.
        await using var cloud = LocalCloud.Open(new LocalCloudOptions { DataDirectory = _dir.Path });
        await cloud.Tables.CreateTableAsync(new TableSchema("orders", "OrderId", "S", null, null), CancellationToken.None);
        await cloud.Buckets.CreateBucketAsync("inbox", CancellationToken.None);
        await cloud.StateMachines.CreateAsync("wait", """{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}""", CancellationToken.None);
        var waiting = cloud.StateMachines.RunAsync("wait", JsonObject.Empty, "before", CancellationToken.None);
        await Fill(cloud.Database);

        var put = await cloud.Tables.ExecuteAsync("PutItem", TestCloud.J($"{{'TableName':'orders','Item':{{'OrderId':{{'S':'1'}},'note':{{'S':'{new string('x', 300_000)}'}}}}}}"), CancellationToken.None);

        Assert.Equal("InternalServerError", put.Error?.Code);
        Assert.Contains("database or disk is full", put.Error!.Message, StringComparison.Ordinal);
        Assert.NotNull(cloud.StorageFault.First);
        // The execution that was waiting stops at once, and one started afterwards does not run.
        var stopped = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("StorageFailed", stopped.Error?.Code);
        Assert.Equal("StorageFailed", (await cloud.StateMachines.RunAsync("wait", JsonObject.Empty, "after", CancellationToken.None)).Error?.Code);

        // The bucket's folder cannot take the object's bytes (a file where the folder was): S3's own InternalError, no object.
        var folder = Path.Combine(_dir.Path, "buckets", "inbox");
        Directory.Delete(folder, recursive: true);
        await File.WriteAllTextAsync(folder, string.Empty);
        await using (var content = new MemoryStream(new byte[1 << 10]))
        {
            var upload = await cloud.Buckets.PutObjectAsync("inbox", "big.json", content, null, OrderFlow.Events.S3.S3CreateReason.PutObject, CancellationToken.None);
            Assert.Equal("InternalError", upload.Error?.Code);
        }
        Assert.Equal("NotFound", (await cloud.Buckets.ExecuteAsync("HeadObject", TestCloud.J("{'Bucket':'inbox','Key':'big.json'}"), CancellationToken.None)).Error?.Code);
    }
}
