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
    public async Task Open_NewDatabase_Has8KiBPagesAndCopiesItsLogEvery32MiBBesideTheWriter()
    {
        await using var db = Open();
        Assert.Equal(8192L, db.Read(c => SqliteDatabase.Pragma(c, "page_size")));
        Assert.Equal(4096L, db.CheckpointPages);
        Assert.Equal(0L, await db.WriteAsync(c => SqliteDatabase.Pragma(c, "wal_autocheckpoint"), CancellationToken.None));
    }

    [Fact]
    public async Task WriteAsync_LogLongerThanItsLimit_IsCopiedAndStartsOver()
    {
        var path = _dir.Combine("test.db");
        var next = 100;
        await using (var db = new SqliteDatabase(path, ["CREATE TABLE IF NOT EXISTS t(k INTEGER PRIMARY KEY, v TEXT)"], null,
            checkpointBytes: 64 * 1024, checkpointPause: TimeSpan.FromMilliseconds(5)))
        {
            var text = new string('x', 4000);
            await db.WriteAsync(c =>
            {
                for (var k = 0; k < 100; k++)
                {
                    var insert = c.Prepared("INSERT INTO t(k, v) VALUES ($k, $v)");
                    insert.Bind("$k", k);
                    insert.Bind("$v", text);
                    insert.ExecuteNonQuery();
                }
                return 0;
            }, CancellationToken.None);
            var first = WalSequence(path);
            // The log starts over once a write transaction begins on a log the checkpointer has copied whole.
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (WalSequence(path) == first && DateTime.UtcNow < deadline)
            {
                var key = next++;
                await db.WriteAsync(c => Insert(c, key), CancellationToken.None);
                await Task.Delay(5);
            }
            Assert.NotEqual(first, WalSequence(path));
            Assert.Equal(next, db.Read(c =>
            {
                using var count = c.CreateCommand();
                count.CommandText = "SELECT count(*) FROM t";
                return (int)(long)count.ExecuteScalar()!;
            }));
        }
        // Closed: every page is in the database itself.
        Assert.False(File.Exists(path + "-wal"));
        using var plain = new SqliteConnection($"Data Source={path};Pooling=False;Mode=ReadOnly");
        plain.Open();
        using var count = plain.CreateCommand();
        count.CommandText = "SELECT count(*), sum(length(v)) FROM t";
        using var reader = count.ExecuteReader();
        reader.Read();
        Assert.Equal(next, reader.GetInt64(0));
        Assert.Equal(100 * 4000 + (next - 100), reader.GetInt64(1));
    }

    [Fact]
    public void WalCheckpointer_PassFindsLogAtItsLimit_AsksTheWriterOnceToCopyTheRest()
    {
        var path = _dir.Combine("wal.db");
        using var writer = new SqliteConnection($"Data Source={path};Pooling=False");
        writer.Open();
        SqliteDatabase.Execute(writer, "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT)");
        using var checkpointer = new WalCheckpointer($"Data Source={path};Pooling=False", restartFrames: 8, TimeSpan.FromMilliseconds(1));
        for (var k = 0; k < 20; k++)
        {
            SqliteDatabase.Execute(writer, $"INSERT INTO t(k, v) VALUES ({k}, '{new string('x', 3000)}')");
        }
        checkpointer.Committed();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var asked = false;
        while (!asked && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(5);
            asked = checkpointer.TakeWriterCheckpoint();
        }
        Assert.True(asked);
        Assert.False(checkpointer.TakeWriterCheckpoint());
        var (busy, log, copied) = WalCheckpointer.Passive(writer);
        Assert.False(busy);
        Assert.Equal(log, copied);
    }

    /// <summary>The log's checkpoint sequence number (https://www.sqlite.org/fileformat2.html#the_wal_header, bytes 12-15): one more each time it starts over.</summary>
    private static uint WalSequence(string path)
    {
        using var wal = new FileStream(path + "-wal", FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        Span<byte> header = stackalloc byte[16];
        wal.ReadExactly(header);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(header[12..]);
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
        Assert.Equal(8192L, db.CheckpointPages);
        Assert.Equal(1, await db.WriteAsync(c => Insert(c, 2), CancellationToken.None));
    }
}
