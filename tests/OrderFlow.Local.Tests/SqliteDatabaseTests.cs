using Microsoft.Data.Sqlite;
using OrderFlow.Local.Storage;

namespace OrderFlow.Local.Tests;

/// <summary>Group commit: concurrent writes never meet "database is locked", and one failing write fails alone.</summary>
public sealed class SqliteDatabaseTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private SqliteDatabase Open() => new(_dir.Combine("test.db"), ["CREATE TABLE IF NOT EXISTS t(k INTEGER PRIMARY KEY, v TEXT)"]);

    private static int Insert(SqliteConnection connection, int key)
    {
        var insert = connection.Prepared("INSERT INTO t(k, v) VALUES ($k, 'v')");
        insert.Bind("$k", key);
        return insert.ExecuteNonQuery();
    }

    [Fact]
    public async Task WriteAsync_ManyConcurrentWriters_AllCommitAndSurviveReopen()
    {
        await using (var db = Open())
        {
            await Task.WhenAll(Enumerable.Range(0, 2_000).Select(i => Task.Run(() => db.WriteAsync(c => Insert(c, i), CancellationToken.None))));
        }
        await using var reopened = Open();
        Assert.Equal(2_000L, reopened.Read(c =>
        {
            using var count = c.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM t";
            return (long)count.ExecuteScalar()!;
        }));
    }

    [Fact]
    public async Task WriteAsync_AnyWrite_RunsOnTheWritersOwnThreadNotThePool()
    {
        // The writer blocks in SQLite and fsync; on a pool thread it would take a thread from the callers' work.
        await using var db = Open();
        var threads = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => db.WriteAsync(c =>
        {
            Insert(c, i);
            return (Thread.CurrentThread.IsThreadPoolThread, Thread.CurrentThread.Name);
        }, CancellationToken.None)));
        Assert.All(threads, t => Assert.False(t.IsThreadPoolThread));
        Assert.All(threads, t => Assert.Equal("OrderFlow SQLite writer", t.Name));
    }

    [Fact]
    public async Task WriteAsync_OneWriteThrowsAfterChanging_OnlyItFailsAndItsChangeIsUndone()
    {
        await using var db = Open();
        var writes = Enumerable.Range(0, 50).Select(i => db.WriteAsync(c =>
        {
            Insert(c, i);
            return i == 25 ? throw new InvalidOperationException("bug in write 25") : i;
        }, CancellationToken.None)).ToList();
        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => writes[25]);
        Assert.Equal("bug in write 25", failed.Message);
        foreach (var write in writes.Where((_, i) => i != 25))
        {
            await write;
        }
        var keys = db.Read(c =>
        {
            using var select = c.CreateCommand();
            select.CommandText = "SELECT k FROM t ORDER BY k";
            using var reader = select.ExecuteReader();
            var list = new List<long>();
            while (reader.Read())
            {
                list.Add(reader.GetInt64(0));
            }
            return list;
        });
        Assert.Equal(49, keys.Count);
        Assert.DoesNotContain(25L, keys);
    }

    [Fact]
    public async Task Open_NewDatabase_Has8KiBPagesAndCopiesItsLogEvery32MiB()
    {
        await using var db = Open();
        Assert.Equal(8192L, db.Read(c => SqliteDatabase.Pragma(c, "page_size")));
        Assert.Equal(4096L, await db.WriteAsync(c => SqliteDatabase.Pragma(c, "wal_autocheckpoint"), CancellationToken.None));
    }

    [Fact]
    public async Task Open_AnyDatabase_WriterKeepsSavepointJournalsInMemory()
    {
        await using var db = Open();
        // 2 = MEMORY: a savepoint's journal never spills into a temporary file (https://www.sqlite.org/pragma.html#pragma_temp_store).
        Assert.Equal(2L, await db.WriteAsync(c => SqliteDatabase.Pragma(c, "temp_store"), CancellationToken.None));
    }

    [Fact]
    public async Task Open_DatabaseMadeWith4KiBPages_KeepsThemAndStillCopiesItsLogEvery32MiB()
    {
        using (var earlier = new SqliteConnection($"Data Source={_dir.Combine("test.db")};Pooling=False"))
        {
            earlier.Open();
            SqliteDatabase.Execute(earlier, "PRAGMA page_size=4096; PRAGMA journal_mode=WAL; CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT); INSERT INTO t(k, v) VALUES (1, 'v')");
        }
        await using var db = Open();
        Assert.Equal(4096L, db.Read(c => SqliteDatabase.Pragma(c, "page_size")));
        Assert.Equal(8192L, await db.WriteAsync(c => SqliteDatabase.Pragma(c, "wal_autocheckpoint"), CancellationToken.None));
        Assert.Equal(1, await db.WriteAsync(c => Insert(c, 2), CancellationToken.None));
    }
}
