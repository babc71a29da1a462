using System.Globalization;
using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Transfer;
using OrderFlow.Events.S3;
using OrderFlow.Json;
using OrderFlow.Local.Integrations;
using OrderFlow.Local.Storage;
using OrderFlow.States.Distributed;
using static OrderFlow.Aws.Requests;

namespace OrderFlow.Aws;

/// <summary>
/// Buckets on Amazon S3 or a compatible endpoint: the S3 operations of the service integrations (Body as text, as
/// Step Functions passes it), and the object store Distributed Maps stream items from and write results to.
/// </summary>
/// <remarks>
/// On AWS, S3 itself sends "Object Created" to EventBridge. Here the local event bus routes the rules, so every write
/// made through this class publishes the event S3 would send (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html).
/// </remarks>
public sealed class AwsBuckets(IAmazonS3 client, Func<JsonObject, CancellationToken, Task> publish, TimeProvider time, string region, string account)
    : IServiceApi, IObjectStore
{
    private const string Unreachable = "ServiceUnavailable";
    private long _sequence;

    public Task<ServiceResult<JsonObject>> ExecuteAsync(string operation, JsonObject request, CancellationToken cancellationToken)
    {
        var bucket = Text(request, "Bucket");
        var key = Text(request, "Key");
        if (bucket is null || (key is null && operation != "ListObjectsV2"))
        {
            return Task.FromResult<ServiceResult<JsonObject>>(new ServiceError("InvalidRequest", bucket is null ? "Bucket is required" : "Key is required"));
        }
        return operation switch
        {
            "PutObject" => CallAsync(async () =>
            {
                var body = request["Body"] switch { JsonString s => s.Value, null => string.Empty, var other => other.ToJsonString() };
                var put = await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = body, ContentType = Text(request, "ContentType") }, cancellationToken);
                // The size and ETag are known here: no HeadObject round trip for the event.
                await PublishAsync(bucket, key!, System.Text.Encoding.UTF8.GetByteCount(body), put.ETag, S3CreateReason.PutObject, cancellationToken);
                return new JsonObjectBuilder(1).Set("ETag", put.ETag).Build();
            }, Unreachable),
            "GetObject" => CallAsync(async () =>
            {
                using var response = await client.GetObjectAsync(new GetObjectRequest
                {
                    BucketName = bucket,
                    Key = key,
                    ByteRange = Text(request, "Range") is { } range ? new ByteRange(range) : null,
                }, cancellationToken);
                using var reader = new StreamReader(response.ResponseStream);
                var body = await reader.ReadToEndAsync(cancellationToken);
                var result = Describe(response.LastModified, response.ContentLength, response.ETag, response.Headers.ContentType).Set("Body", body);
                if (response.ContentRange is { } contentRange)
                {
                    result.Set("ContentRange", contentRange);
                }
                return result.Build();
            }, Unreachable),
            "HeadObject" => CallAsync(async () =>
            {
                var head = await client.GetObjectMetadataAsync(bucket, key, cancellationToken);
                return Describe(head.LastModified, head.ContentLength, head.ETag, head.Headers.ContentType).Build();
            }, Unreachable),
            "DeleteObject" => CallAsync(async () =>
            {
                await client.DeleteObjectAsync(bucket, key, cancellationToken);
                return JsonObject.Empty;
            }, Unreachable),
            "CopyObject" => CallAsync(async () =>
            {
                var source = Uri.UnescapeDataString(Text(request, "CopySource") ?? string.Empty).TrimStart('/');
                var slash = source.IndexOf('/', StringComparison.Ordinal);
                if (slash <= 0)
                {
                    throw new FormatException("CopySource must be \"bucket/key\"");
                }
                var copied = await client.CopyObjectAsync(source[..slash], source[(slash + 1)..], bucket, key, cancellationToken);
                await PublishCreatedAsync(bucket, key!, S3CreateReason.CopyObject, cancellationToken);
                return new JsonObjectBuilder(1).Set("CopyObjectResult", new JsonObjectBuilder(2).Set("ETag", copied.ETag)
                    .Set("LastModified", copied.LastModified ?? string.Empty).Build()).Build();
            }, Unreachable),
            "ListObjectsV2" => CallAsync(async () =>
            {
                var page = await client.ListObjectsV2Async(new ListObjectsV2Request
                {
                    BucketName = bucket,
                    Prefix = Text(request, "Prefix"),
                    Delimiter = Text(request, "Delimiter"),
                    MaxKeys = Int(request, "MaxKeys"),
                    StartAfter = Text(request, "StartAfter"),
                    ContinuationToken = Text(request, "ContinuationToken"),
                }, cancellationToken);
                var response = new JsonObjectBuilder(9).Set("Name", bucket).Set("Prefix", page.Prefix ?? string.Empty).Set("MaxKeys", page.MaxKeys ?? 1000)
                    .Set("KeyCount", page.KeyCount ?? 0).Set("IsTruncated", page.IsTruncated ?? false)
                    .Set("Contents", new JsonArray([.. (page.S3Objects ?? []).Select(o => (JsonValue)Entry(o))]))
                    .Set("CommonPrefixes", new JsonArray([.. (page.CommonPrefixes ?? []).Select(p => (JsonValue)new JsonObjectBuilder(1).Set("Prefix", p).Build())]));
                if (page.NextContinuationToken is { } next)
                {
                    response.Set("NextContinuationToken", next);
                }
                return response.Build();
            }, Unreachable),
            _ => Task.FromResult<ServiceResult<JsonObject>>(new ServiceError("NotImplemented", $"Unsupported S3 operation: {operation}")),
        };
    }

    public async ValueTask<ObjectRead> OpenReadAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        Stream? content = null;
        var opened = await CallAsync(async () =>
        {
            var response = await client.GetObjectAsync(bucket, key, cancellationToken);
            content = response.ResponseStream;
            return JsonObject.Empty;
        }, Unreachable);
        return opened.Failed ? ObjectRead.Fail($"{opened.Error!.Code}: {opened.Error.Message}") : ObjectRead.Of(content!);
    }

    public async IAsyncEnumerable<JsonObject> ListAsync(string bucket, string? prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            ListObjectsV2Response page;
            try
            {
                page = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, ContinuationToken = token }, cancellationToken);
            }
            catch (AmazonS3Exception ex)
            {
                throw new ItemReaderException($"Cannot list s3://{bucket}/{prefix}: {ex.ErrorCode}: {ex.Message}");
            }
            foreach (var entry in page.S3Objects ?? [])
            {
                yield return new JsonObjectBuilder(5).Set("Etag", entry.ETag).Set("Key", entry.Key).Set("LastModified", Iso(entry.LastModified))
                    .Set("Size", entry.Size ?? 0).Set("StorageClass", entry.StorageClass?.Value ?? "STANDARD").Build();
            }
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
    }

    /// <summary>Uploads a stream of any size (multipart above 16 MB), then publishes "Object Created".</summary>
    public async ValueTask<string?> WriteAsync(string bucket, string key, Stream content, CancellationToken cancellationToken)
    {
        var written = await CallAsync(async () =>
        {
            using var transfer = new TransferUtility(client);
            await transfer.UploadAsync(new TransferUtilityUploadRequest { BucketName = bucket, Key = key, InputStream = content, ContentType = "application/json" }, cancellationToken);
            await PublishCreatedAsync(bucket, key, S3CreateReason.PutObject, cancellationToken);
            return JsonObject.Empty;
        }, Unreachable);
        return written.Failed ? $"{written.Error!.Code}: {written.Error.Message}" : null;
    }

    /// <summary>Publishes "Object Created" for a write whose size and ETag the response did not give (multipart uploads, copies).</summary>
    private async Task PublishCreatedAsync(string bucket, string key, S3CreateReason reason, CancellationToken cancellationToken)
    {
        var head = await client.GetObjectMetadataAsync(bucket, key, cancellationToken);
        await PublishAsync(bucket, key, head.ContentLength, head.ETag, reason, cancellationToken);
    }

    private async Task PublishAsync(string bucket, string key, long size, string etag, S3CreateReason reason, CancellationToken cancellationToken)
    {
        // S3's sequencers grow with every write to a key; the clock's ticks and a counter do the same here.
        var sequencer = string.Create(CultureInfo.InvariantCulture, $"{time.GetUtcNow().UtcTicks:X16}{Interlocked.Increment(ref _sequence) % 0x100:X2}");
        var context = new S3EventContext { Time = time.GetUtcNow(), Region = region, Account = account };
        await publish(S3Events.ObjectCreated(bucket, key, size, etag.Trim('"'), sequencer, reason, context), cancellationToken);
    }

    private static JsonObjectBuilder Describe(DateTime? lastModified, long length, string etag, string? contentType) => new JsonObjectBuilder(6)
        .Set("AcceptRanges", "bytes")
        .Set("LastModified", (lastModified ?? DateTime.UnixEpoch).ToUniversalTime().ToString("r", CultureInfo.InvariantCulture))
        .Set("ContentLength", length)
        .Set("ETag", etag)
        .Set("ContentType", contentType ?? "binary/octet-stream");

    private static JsonObject Entry(S3Object o) => new JsonObjectBuilder(5).Set("Key", o.Key).Set("LastModified", Iso(o.LastModified))
        .Set("ETag", o.ETag).Set("Size", o.Size ?? 0).Set("StorageClass", o.StorageClass?.Value ?? "STANDARD").Build();

    private static string Iso(DateTime? time) =>
        (time ?? DateTime.UnixEpoch).ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
