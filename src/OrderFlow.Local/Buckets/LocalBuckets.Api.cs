using System.Globalization;
using System.Text;
using OrderFlow.Events.S3;
using OrderFlow.Json;
using OrderFlow.Local.Storage;

namespace OrderFlow.Local.Buckets;

/// <summary>The S3 operations in the JSON shapes Step Functions' SDK integrations use (Body as text).</summary>
public sealed partial class LocalBuckets : Integrations.IServiceApi
{
    private const int DefaultMaxKeys = 1000;

    public async Task<ServiceResult<JsonObject>> ExecuteAsync(string operation, JsonObject request, CancellationToken cancellationToken)
    {
        var bucket = (request["Bucket"] as JsonString)?.Value;
        if (bucket is null)
        {
            return new ServiceError("InvalidRequest", "Bucket is required");
        }
        var key = (request["Key"] as JsonString)?.Value;
        if (key is null && operation is not "ListObjectsV2")
        {
            return new ServiceError("InvalidRequest", "Key is required");
        }
        switch (operation)
        {
            case "PutObject":
                var body = request["Body"] switch
                {
                    JsonString s => s.Value,
                    null => string.Empty,
                    var other => other.ToJsonString(),
                };
                using (var content = new MemoryStream(Encoding.UTF8.GetBytes(body)))
                {
                    var put = await PutObjectAsync(bucket, key!, content, (request["ContentType"] as JsonString)?.Value, S3CreateReason.PutObject, cancellationToken);
                    return put.Failed ? put.Error! : new JsonObjectBuilder(1).Set("ETag", put.Value.QuotedETag).Build();
                }
            case "GetObject":
                return await GetObjectAsync(bucket, key!, (request["Range"] as JsonString)?.Value, cancellationToken);
            case "HeadObject":
                var head = HeadObject(bucket, key!);
                return head.Failed ? (head.Error!.Code == "NoSuchKey" ? new ServiceError("NotFound", "Not Found") : head.Error!) : Describe(head.Value).Build();
            case "DeleteObject":
                var deleted = await DeleteObjectAsync(bucket, key!, cancellationToken);
                return deleted.Failed ? deleted.Error! : JsonObject.Empty;
            case "CopyObject":
                return await CopyObjectAsync(bucket, key!, (request["CopySource"] as JsonString)?.Value, cancellationToken);
            case "ListObjectsV2":
                return ListObjectsV2(bucket, request);
            default:
                return new ServiceError("NotImplemented", $"Unsupported S3 operation: {operation}");
        }
    }

    private async Task<ServiceResult<JsonObject>> GetObjectAsync(string bucket, string key, string? range, CancellationToken cancellationToken)
    {
        var opened = OpenObject(bucket, key);
        if (opened.Failed)
        {
            return opened.Error!;
        }
        var (info, stream) = opened.Value;
        await using (stream)
        {
            long start = 0, end = info.Size - 1;
            if (range is not null)
            {
                if (!TryParseRange(range, info.Size, out start, out end))
                {
                    return new ServiceError("InvalidRange", "The requested range is not satisfiable");
                }
                stream.Seek(start, SeekOrigin.Begin);
            }
            var length = Math.Max(0, end - start + 1);
            var bytes = new byte[length];
            await stream.ReadExactlyAsync(bytes, cancellationToken);
            var result = Describe(info).Set("Body", Encoding.UTF8.GetString(bytes)).Set("ContentLength", length);
            if (range is not null)
            {
                result.Set("ContentRange", $"bytes {start}-{end}/{info.Size}");
            }
            return result.Build();
        }
    }

    /// <summary><c>bytes=a-b</c>, <c>bytes=a-</c> or <c>bytes=-n</c> (the last n bytes).</summary>
    internal static bool TryParseRange(string range, long size, out long start, out long end)
    {
        start = 0;
        end = size - 1;
        if (!range.StartsWith("bytes=", StringComparison.Ordinal))
        {
            return false;
        }
        var parts = range[6..].Split('-');
        if (parts.Length != 2)
        {
            return false;
        }
        var ok = true;
        if (parts[0].Length == 0)
        {
            ok = long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var suffix) && suffix > 0;
            start = Math.Max(0, size - suffix);
        }
        else
        {
            ok = long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out start);
            if (ok && parts[1].Length > 0)
            {
                ok = long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out end) && end >= start;
                end = Math.Min(end, size - 1);
            }
        }
        return ok && start < size;
    }

    private async Task<ServiceResult<JsonObject>> CopyObjectAsync(string bucket, string key, string? copySource, CancellationToken cancellationToken)
    {
        var source = Uri.UnescapeDataString(copySource ?? string.Empty).TrimStart('/');
        var slash = source.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return new ServiceError("InvalidArgument", "CopySource must be \"bucket/key\"");
        }
        var opened = OpenObject(source[..slash], source[(slash + 1)..]);
        if (opened.Failed)
        {
            return opened.Error!;
        }
        await using var stream = opened.Value.Content;
        var copy = await PutObjectAsync(bucket, key, stream, opened.Value.Info.ContentType, S3CreateReason.CopyObject, cancellationToken);
        return copy.Failed
            ? copy.Error!
            : new JsonObjectBuilder(1).Set("CopyObjectResult", new JsonObjectBuilder(2).Set("ETag", copy.Value.QuotedETag)
                .Set("LastModified", copy.Value.LastModified.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)).Build()).Build();
    }

    /// <summary>ListObjectsV2: keys in UTF-8 order, Prefix, Delimiter (CommonPrefixes), MaxKeys, StartAfter, ContinuationToken.</summary>
    private ServiceResult<JsonObject> ListObjectsV2(string bucket, JsonObject request)
    {
        if (!BucketExists(bucket))
        {
            return NoSuchBucket(bucket);
        }
        var prefix = (request["Prefix"] as JsonString)?.Value ?? string.Empty;
        var delimiter = (request["Delimiter"] as JsonString)?.Value;
        var maxKeys = request["MaxKeys"] is JsonNumber m ? (int)Math.Clamp(m.Value, 0, DefaultMaxKeys) : DefaultMaxKeys;
        var token = (request["ContinuationToken"] as JsonString)?.Value;
        var after = token is null ? (request["StartAfter"] as JsonString)?.Value ?? string.Empty : Encoding.UTF8.GetString(Convert.FromBase64String(token));
        var contents = new List<JsonValue>();
        var prefixes = new List<string>();
        string? lastKey = null;
        var truncated = false;
        database.Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT key, size, etag, last_modified FROM s3_objects WHERE bucket = $b AND key > $after AND substr(key, 1, length($p)) = $p ORDER BY key";
            command.Parameters.AddWithValue("$b", bucket);
            command.Parameters.AddWithValue("$after", after);
            command.Parameters.AddWithValue("$p", prefix);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var key = reader.GetString(0);
                var rest = key[prefix.Length..];
                var cut = string.IsNullOrEmpty(delimiter) ? -1 : rest.IndexOf(delimiter, StringComparison.Ordinal);
                var commonPrefix = cut >= 0 ? prefix + rest[..(cut + delimiter!.Length)] : null;
                if (commonPrefix is not null && prefixes.Count > 0 && prefixes[^1] == commonPrefix)
                {
                    lastKey = key;
                    continue;
                }
                if (contents.Count + prefixes.Count >= maxKeys)
                {
                    truncated = true;
                    break;
                }
                if (commonPrefix is not null)
                {
                    prefixes.Add(commonPrefix);
                }
                else
                {
                    contents.Add(new JsonObjectBuilder(5).Set("Key", key)
                        .Set("LastModified", DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))
                        .Set("ETag", $"\"{reader.GetString(2)}\"").Set("Size", reader.GetInt64(1)).Set("StorageClass", "STANDARD").Build());
                }
                lastKey = key;
            }
            return true;
        });
        var response = new JsonObjectBuilder(9)
            .Set("Name", bucket).Set("Prefix", prefix).Set("MaxKeys", maxKeys).Set("KeyCount", contents.Count + prefixes.Count)
            .Set("IsTruncated", truncated)
            .Set("Contents", new JsonArray([.. contents]))
            .Set("CommonPrefixes", new JsonArray(prefixes.Select(p => (JsonValue)new JsonObjectBuilder(1).Set("Prefix", p).Build()).ToArray()));
        if (delimiter is not null)
        {
            response.Set("Delimiter", delimiter);
        }
        if (truncated && lastKey is not null)
        {
            response.Set("NextContinuationToken", Convert.ToBase64String(Encoding.UTF8.GetBytes(lastKey)));
        }
        return response.Build();
    }

    private static JsonObjectBuilder Describe(ObjectInfo info) => new JsonObjectBuilder(8)
        .Set("AcceptRanges", "bytes")
        .Set("LastModified", Http(info.LastModified))
        .Set("ContentLength", info.Size)
        .Set("ETag", info.QuotedETag)
        .Set("ContentType", info.ContentType);
}
