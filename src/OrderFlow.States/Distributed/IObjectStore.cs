using OrderFlow.Json;

namespace OrderFlow.States.Distributed;

/// <summary>
/// The bucket a Distributed Map reads its items from and writes its results to. The host provides it (the embedded
/// bucket, or S3). Failures are values: an error code and message, as S3 names them.
/// </summary>
public interface IObjectStore
{
    /// <summary>Opens an object for streaming, or says why it cannot.</summary>
    ValueTask<ObjectRead> OpenReadAsync(string bucket, string key, CancellationToken cancellationToken);

    /// <summary>Lists objects in key order, as ListObjectsV2 returns them (Key, Size, ETag, LastModified, StorageClass).</summary>
    IAsyncEnumerable<JsonObject> ListAsync(string bucket, string? prefix, CancellationToken cancellationToken);

    /// <summary>Writes an object; null when written, otherwise the error.</summary>
    ValueTask<string?> WriteAsync(string bucket, string key, Stream content, CancellationToken cancellationToken);
}

/// <summary>An opened object, or the reason it could not be opened.</summary>
public readonly record struct ObjectRead(Stream? Content, string? Error)
{
    public static ObjectRead Of(Stream content) => new(content, null);

    public static ObjectRead Fail(string error) => new(null, error);
}

/// <summary>An item source failed: reported as States.ItemReaderFailed, with where in the data it happened.</summary>
public sealed class ItemReaderException(string message) : Exception(message);
