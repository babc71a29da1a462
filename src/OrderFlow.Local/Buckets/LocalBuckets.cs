using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using OrderFlow.Events.S3;
using OrderFlow.Json;
using OrderFlow.Local.Storage;
using OrderFlow.States.Execution;

namespace OrderFlow.Local.Buckets;

/// <summary>
/// S3 buckets as folders: each object's bytes in a file of the bucket's folder, its key and metadata in SQLite.
/// A write lands in a temporary file, is flushed, and becomes visible only when its metadata commits, so a
/// half-written object is never seen. Every create and delete publishes S3's EventBridge event.
/// </summary>
public sealed partial class LocalBuckets(SqliteDatabase database, string root, TimeProvider time, IRandomSource random, Func<JsonObject, CancellationToken, Task> publish, string region, string account)
{
    internal static readonly string[] Sql =
    [
        "CREATE TABLE IF NOT EXISTS s3_buckets(name TEXT PRIMARY KEY, created INTEGER NOT NULL)",
        """
        CREATE TABLE IF NOT EXISTS s3_objects(bucket TEXT NOT NULL, key TEXT NOT NULL, blob TEXT NOT NULL, size INTEGER NOT NULL,
          etag TEXT NOT NULL, last_modified INTEGER NOT NULL, content_type TEXT, sequencer INTEGER NOT NULL, PRIMARY KEY(bucket, key)) WITHOUT ROWID
        """,
    ];

    private long _sequencer = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>Creates a bucket (idempotent). Names follow S3's rules: 3–63 lowercase letters, digits, dots and hyphens.</summary>
    public async Task<ServiceResult<string>> CreateBucketAsync(string name, CancellationToken cancellationToken)
    {
        if (name.Length is < 3 or > 63 || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-')
            || !char.IsAsciiLetterOrDigit(name[0]) || !char.IsAsciiLetterOrDigit(name[^1]))
        {
            return new ServiceError("InvalidBucketName", $"The specified bucket is not valid: {name}");
        }
        Directory.CreateDirectory(BucketFolder(name));
        return await database.WriteAsync<ServiceResult<string>>(connection =>
        {
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT OR IGNORE INTO s3_buckets(name, created) VALUES ($n, $c)";
            insert.Parameters.AddWithValue("$n", name);
            insert.Parameters.AddWithValue("$c", time.GetUtcNow().ToUnixTimeMilliseconds());
            insert.ExecuteNonQuery();
            return name;
        }, cancellationToken);
    }

    public IReadOnlyList<string> ListBuckets() => database.Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM s3_buckets ORDER BY name";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }
        return names;
    });

    /// <summary>Stores an object from a stream; the write is atomic and durable when this returns, then the event is published.</summary>
    public async Task<ServiceResult<ObjectInfo>> PutObjectAsync(string bucket, string key, Stream content, string? contentType, S3CreateReason reason, CancellationToken cancellationToken)
    {
        var source = new SourceStream(content);
        var target = NewBlob(bucket, key);
        if (target.Failed)
        {
            return target.Error!;
        }
        var (blob, temp) = target.Value;
        long size;
        string etag;
        try
        {
            await using var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            var buffer = new byte[1 << 16];
            int read;
            size = 0;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                md5.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                size += read;
            }
            file.Flush(flushToDisk: true);
            etag = Convert.ToHexStringLower(md5.GetHashAndReset());
        }
        catch (Exception ex) when (!source.Failed && StorageFault.IsStorageFailure(ex))
        {
            // The disk full, or an I/O error of the bucket's files: no object, as S3 answers a failure on its side.
            DeleteQuietly(temp);
            return StorageFailed(ex);
        }
        catch
        {
            // The content failed part-way (cancelled, unreadable): no object, and no temporary file left behind.
            File.Delete(temp);
            throw;
        }
        return await CommitAsync(bucket, key, blob, size, etag, contentType, reason, cancellationToken);
    }

    /// <summary>
    /// A new object's file name in the bucket's folder and the temporary file it is written to first, or why the key or
    /// the bucket cannot take an object.
    /// </summary>
    private ServiceResult<(string Blob, string Temp)> NewBlob(string bucket, string key)
    {
        if (CheckKey(key) is { } invalidKey)
        {
            return invalidKey;
        }
        if (!BucketExists(bucket))
        {
            return NoSuchBucket(bucket);
        }
        var blob = random.NewGuid().ToString("N");
        return (blob, TempPath(bucket, blob));
    }

    /// <summary>What a write that failed for the storage's sake (the disk full, an I/O error) answers: S3's own 500, InternalError.</summary>
    private ServiceError StorageFailed(Exception exception)
    {
        database.Fault?.Report(exception);
        return new("InternalError", $"The embedded bucket could not store the object: {exception.Message}");
    }

    /// <summary>Deletes a file the failed write left, when the storage still lets it (a missing folder, a failing disk).</summary>
    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Nothing more can be done; the storage failure is what gets reported.
        }
    }

    /// <summary>The file that holds an object's bytes in its bucket's folder.</summary>
    private string BlobPath(string bucket, string blob) => Path.Combine(BucketFolder(bucket), blob);

    /// <summary>Where a new object's bytes are written before they become the object.</summary>
    private string TempPath(string bucket, string blob) => BlobPath(bucket, blob) + ".tmp";

    /// <summary>
    /// Makes a written temporary file (<see cref="NewBlob"/>) the object: moved into place, its metadata committed (replacing an earlier
    /// version, whose file is then deleted), then its "Object Created" event published.
    /// </summary>
    private async Task<ServiceResult<ObjectInfo>> CommitAsync(string bucket, string key, string blob, long size, string etag, string? contentType,
        S3CreateReason reason, CancellationToken cancellationToken)
    {
        File.Move(TempPath(bucket, blob), BlobPath(bucket, blob));
        var info = new ObjectInfo(bucket, key, size, etag, time.GetUtcNow(), contentType ?? "binary/octet-stream", Interlocked.Increment(ref _sequencer));
        string? replaced;
        try
        {
            replaced = await database.WriteAsync(connection => Upsert(connection, info, blob), cancellationToken);
        }
        catch (Exception ex) when (StorageFault.IsStorageFailure(ex))
        {
            // The object's bytes are in place but its metadata could not be stored: no object, and no orphaned file.
            DeleteQuietly(BlobPath(bucket, blob));
            return StorageFailed(ex);
        }
        if (replaced is not null)
        {
            File.Delete(BlobPath(bucket, replaced));
        }
        await publish(S3Events.ObjectCreated(bucket, key, size, etag, S3Events.Sequencer(info.Sequencer), reason, Context()), cancellationToken);
        return info;
    }

    /// <summary>
    /// Opens an object for reading, or says it does not exist. <paramref name="readOnce"/>: the caller reads it from start
    /// to end, once (a Distributed Map's ItemReader), so a large object is read past the page cache, as it was written
    /// (<see cref="UploadAsync"/>), and the stream cannot seek.
    /// </summary>
    public ServiceResult<(ObjectInfo Info, Stream Content)> OpenObject(string bucket, string key, bool readOnce = false)
    {
        var found = Find(bucket, key);
        if (found.Failed)
        {
            return found.Error!;
        }
        var path = BlobPath(bucket, found.Value.Blob);
        Stream? stream = readOnce && found.Value.Info.Size >= MultipartThreshold ? DirectReadStream.TryOpen(path) : null;
        stream ??= new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return (found.Value.Info, stream);
    }

    public ServiceResult<ObjectInfo> HeadObject(string bucket, string key)
    {
        var found = Find(bucket, key);
        return found.Failed ? found.Error! : found.Value.Info;
    }

    public async Task<ServiceResult<bool>> DeleteObjectAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        if (!BucketExists(bucket))
        {
            return NoSuchBucket(bucket);
        }
        var removed = await database.WriteAsync(connection =>
        {
            using var select = connection.CreateCommand();
            select.CommandText = "SELECT blob, etag, sequencer FROM s3_objects WHERE bucket = $b AND key = $k";
            select.Parameters.AddWithValue("$b", bucket);
            select.Parameters.AddWithValue("$k", key);
            using var reader = select.ExecuteReader();
            if (!reader.Read())
            {
                return ((string Blob, string Etag)?)null;
            }
            var row = (reader.GetString(0), reader.GetString(1));
            reader.Close();
            using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM s3_objects WHERE bucket = $b AND key = $k";
            delete.Parameters.AddWithValue("$b", bucket);
            delete.Parameters.AddWithValue("$k", key);
            delete.ExecuteNonQuery();
            return row;
        }, cancellationToken);
        if (removed is { } gone)
        {
            File.Delete(BlobPath(bucket, gone.Blob));
            await publish(S3Events.ObjectDeleted(bucket, key, gone.Etag, S3Events.Sequencer(Interlocked.Increment(ref _sequencer)), S3DeleteReason.DeleteObject, Context()), cancellationToken);
        }
        return removed is not null;
    }

    private string BucketFolder(string bucket) => Path.Combine(root, bucket);

    private bool BucketExists(string bucket) => database.Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM s3_buckets WHERE name = $n";
        command.Parameters.AddWithValue("$n", bucket);
        return command.ExecuteScalar() is not null;
    });

    private ServiceResult<(ObjectInfo Info, string Blob)> Find(string bucket, string key)
    {
        if (!BucketExists(bucket))
        {
            return NoSuchBucket(bucket);
        }
        var row = database.Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT blob, size, etag, last_modified, content_type, sequencer FROM s3_objects WHERE bucket = $b AND key = $k";
            command.Parameters.AddWithValue("$b", bucket);
            command.Parameters.AddWithValue("$k", key);
            using var reader = command.ExecuteReader();
            return reader.Read()
                ? ((ObjectInfo, string)?)(new ObjectInfo(bucket, key, reader.GetInt64(1), reader.GetString(2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
                    reader.IsDBNull(4) ? "binary/octet-stream" : reader.GetString(4), reader.GetInt64(5)), reader.GetString(0))
                : null;
        });
        return row is { } found ? found : new ServiceError("NoSuchKey", "The specified key does not exist.");
    }

    private static string? Upsert(SqliteConnection connection, ObjectInfo info, string blob)
    {
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT blob FROM s3_objects WHERE bucket = $b AND key = $k";
        select.Parameters.AddWithValue("$b", info.Bucket);
        select.Parameters.AddWithValue("$k", info.Key);
        var previous = select.ExecuteScalar() as string;
        using var upsert = connection.CreateCommand();
        upsert.CommandText = "INSERT OR REPLACE INTO s3_objects(bucket, key, blob, size, etag, last_modified, content_type, sequencer) VALUES ($b, $k, $blob, $s, $e, $m, $t, $q)";
        upsert.Parameters.AddWithValue("$b", info.Bucket);
        upsert.Parameters.AddWithValue("$k", info.Key);
        upsert.Parameters.AddWithValue("$blob", blob);
        upsert.Parameters.AddWithValue("$s", info.Size);
        upsert.Parameters.AddWithValue("$e", info.ETag);
        upsert.Parameters.AddWithValue("$m", info.LastModified.ToUnixTimeMilliseconds());
        upsert.Parameters.AddWithValue("$t", info.ContentType);
        upsert.Parameters.AddWithValue("$q", info.Sequencer);
        upsert.ExecuteNonQuery();
        return previous;
    }

    private S3EventContext Context() => new()
    {
        Id = random.NewGuid().ToString(),
        Time = time.GetUtcNow(),
        Account = account,
        Region = region,
    };

    private static ServiceError? CheckKey(string key) =>
        key.Length == 0 || Encoding.UTF8.GetByteCount(key) > 1024 ? new ServiceError("KeyTooLongError", "An object key is 1 to 1024 bytes of UTF-8") : null;

    private static ServiceError NoSuchBucket(string bucket) => new("NoSuchBucket", $"The specified bucket does not exist: {bucket}");

    internal static string Http(DateTimeOffset time) => time.UtcDateTime.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>An object's metadata. The ETag is the MD5 of the content, as S3 gives it for a single-part upload.</summary>
public sealed record ObjectInfo(string Bucket, string Key, long Size, string ETag, DateTimeOffset LastModified, string ContentType, long Sequencer)
{
    public string QuotedETag => $"\"{ETag}\"";
}
