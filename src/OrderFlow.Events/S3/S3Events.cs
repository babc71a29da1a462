using System.Globalization;
using OrderFlow.Json;

namespace OrderFlow.Events.S3;

/// <summary>Why S3 created an object, as its "Object Created" events say.</summary>
public enum S3CreateReason { PutObject, CopyObject, CompleteMultipartUpload }

/// <summary>How S3 deleted an object, as its "Object Deleted" events say.</summary>
public enum S3DeleteReason { DeleteObject, LifecycleExpiration }

/// <summary>Who did what, where and when: the envelope fields shared by every S3 event. Defaults are documented.</summary>
public sealed record S3EventContext
{
    /// <summary>Event id. Default: a new GUID.</summary>
    public string Id { get; init; } = Guid.NewGuid().ToString();

    /// <summary>Default: the time the context is created, UTC.</summary>
    public DateTimeOffset Time { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>Default: "123456789012".</summary>
    public string Account { get; init; } = "123456789012";

    /// <summary>Default: "us-east-1".</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>The caller's id. Default: the account.</summary>
    public string? Requester { get; init; }

    /// <summary>Default: "127.0.0.1".</summary>
    public string SourceIpAddress { get; init; } = "127.0.0.1";

    /// <summary>Default: 16 characters derived from the event id.</summary>
    public string? RequestId { get; init; }
}

/// <summary>
/// Builds the events S3 sends to EventBridge, in their exact shape
/// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html): "Object Created" and "Object Deleted".
/// </summary>
public static class S3Events
{
    public const string Source = "aws.s3";
    public const string ObjectCreatedType = "Object Created";
    public const string ObjectDeletedType = "Object Deleted";

    public static JsonObject ObjectCreated(
        string bucket, string key, long size, string etag, string sequencer, S3CreateReason reason, S3EventContext context, string? versionId = null)
    {
        var obj = new JsonObjectBuilder(5).Set("key", key).Set("size", size).Set("etag", etag);
        if (versionId is not null)
        {
            obj.Set("version-id", versionId);
        }
        obj.Set("sequencer", sequencer);
        var detail = Detail(bucket, obj.Build(), context).Set("reason", reason.ToString());
        return Envelope(ObjectCreatedType, bucket, detail.Build(), context);
    }

    public static JsonObject ObjectDeleted(
        string bucket, string key, string etag, string sequencer, S3DeleteReason reason, S3EventContext context, string? versionId = null, bool deleteMarkerCreated = false)
    {
        var obj = new JsonObjectBuilder(4).Set("key", key).Set("etag", etag);
        if (versionId is not null)
        {
            obj.Set("version-id", versionId);
        }
        obj.Set("sequencer", sequencer);
        var detail = Detail(bucket, obj.Build(), context)
            .Set("reason", reason == S3DeleteReason.DeleteObject ? "DeleteObject" : "Lifecycle Expiration")
            .Set("deletion-type", deleteMarkerCreated ? "Delete Marker Created" : "Permanently Deleted");
        return Envelope(ObjectDeletedType, bucket, detail.Build(), context);
    }

    /// <summary>A sequencer that grows with <paramref name="counter"/>, as S3's hexadecimal sequencers do.</summary>
    public static string Sequencer(long counter) => counter.ToString("X18", CultureInfo.InvariantCulture);

    private static JsonObjectBuilder Detail(string bucket, JsonObject obj, S3EventContext context) =>
        new JsonObjectBuilder(8)
            .Set("version", "0")
            .Set("bucket", new JsonObjectBuilder(1).Set("name", bucket).Build())
            .Set("object", obj)
            .Set("request-id", context.RequestId ?? context.Id.Replace("-", string.Empty, StringComparison.Ordinal)[..16].ToUpperInvariant())
            .Set("requester", context.Requester ?? context.Account)
            .Set("source-ip-address", context.SourceIpAddress);

    private static JsonObject Envelope(string detailType, string bucket, JsonObject detail, S3EventContext context) =>
        new JsonObjectBuilder(9)
            .Set("version", "0")
            .Set("id", context.Id)
            .Set("detail-type", detailType)
            .Set("source", Source)
            .Set("account", context.Account)
            .Set("time", context.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
            .Set("region", context.Region)
            .Set("resources", new JsonArray([new JsonString($"arn:aws:s3:::{bucket}")]))
            .Set("detail", detail)
            .Build();
}
