using System.Runtime.CompilerServices;
using OrderFlow.Events.S3;
using OrderFlow.Json;
using OrderFlow.States.Distributed;

namespace OrderFlow.Local.Buckets;

/// <summary>The embedded buckets as the object store of Distributed Map states (ItemReader and ResultWriter).</summary>
public sealed class BucketObjectStore(LocalBuckets buckets) : IObjectStore
{
    public ValueTask<ObjectRead> OpenReadAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        var opened = buckets.OpenObject(bucket, key, readOnce: true);
        return ValueTask.FromResult(opened.Failed ? ObjectRead.Fail($"{opened.Error!.Code}: {opened.Error.Message}") : ObjectRead.Of(opened.Value.Content));
    }

    public async IAsyncEnumerable<JsonObject> ListAsync(string bucket, string? prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var request = new JsonObjectBuilder(3).Set("Bucket", bucket).Set("Prefix", prefix ?? string.Empty);
            if (token is not null)
            {
                request.Set("ContinuationToken", token);
            }
            var page = await buckets.ExecuteAsync("ListObjectsV2", request.Build(), cancellationToken);
            if (page.Failed)
            {
                throw new ItemReaderException($"Cannot list s3://{bucket}/{prefix}: {page.Error!.Code}: {page.Error.Message}");
            }
            foreach (var entry in ((JsonArray)page.Value["Contents"]!).Cast<JsonObject>())
            {
                yield return new JsonObjectBuilder(5).Set("Etag", entry["ETag"]!).Set("Key", entry["Key"]!).Set("LastModified", entry["LastModified"]!)
                    .Set("Size", entry["Size"]!).Set("StorageClass", entry["StorageClass"]!).Build();
            }
            token = (page.Value["NextContinuationToken"] as JsonString)?.Value;
        }
        while (token is not null);
    }

    /// <summary>Writes an object as an uploader does: large content in parts (<see cref="LocalBuckets.UploadAsync"/>).</summary>
    public async ValueTask<string?> WriteAsync(string bucket, string key, Stream content, CancellationToken cancellationToken)
    {
        var put = await buckets.UploadAsync(bucket, key, content, "application/json", cancellationToken);
        return put.Failed ? $"{put.Error!.Code}: {put.Error.Message}" : null;
    }
}
