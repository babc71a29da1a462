using OrderFlow.Events.Patterns;
using OrderFlow.Events.S3;
using OrderFlow.Json;

namespace OrderFlow.Events.Tests;

/// <summary>S3's EventBridge events in their exact shape, and the seed's rule matched against them.</summary>
public class S3EventTests
{
    private static readonly S3EventContext Context = new()
    {
        Id = "17793124-05d4-b198-2fde-7ededc63b103",
        Time = new DateTimeOffset(2021, 11, 12, 0, 0, 0, TimeSpan.Zero),
        Account = "111122223333",
        Region = "ca-central-1",
        Requester = "123456789012",
        SourceIpAddress = "1.2.3.4",
        RequestId = "N4N7GDK58NMKJ12R",
    };

    private static EventPattern SeedRule() =>
        EventPattern.Parse(File.ReadAllText(Path.Combine("samples", "seed", "event-bridge-rule.json")));

    [Fact]
    public void ObjectCreated_HasTheDocumentedShape()
    {
        var evt = S3Events.ObjectCreated("DOC-EXAMPLE-BUCKET1", "example-key", 5, "b1946ac92492d2347c6235b4d2611184",
            "00617F08299329D189", S3CreateReason.PutObject, Context, versionId: "IYV3p45BT0ac8hjHg1houSdS1a.Mro8e");
        Assert.Equal(JsonValue.Parse("""
            {"version":"0","id":"17793124-05d4-b198-2fde-7ededc63b103","detail-type":"Object Created","source":"aws.s3",
             "account":"111122223333","time":"2021-11-12T00:00:00Z","region":"ca-central-1","resources":["arn:aws:s3:::DOC-EXAMPLE-BUCKET1"],
             "detail":{"version":"0","bucket":{"name":"DOC-EXAMPLE-BUCKET1"},
               "object":{"key":"example-key","size":5,"etag":"b1946ac92492d2347c6235b4d2611184","version-id":"IYV3p45BT0ac8hjHg1houSdS1a.Mro8e","sequencer":"00617F08299329D189"},
               "request-id":"N4N7GDK58NMKJ12R","requester":"123456789012","source-ip-address":"1.2.3.4","reason":"PutObject"}}
            """), evt);
    }

    [Theory]
    [InlineData(S3CreateReason.PutObject, "PutObject")]
    [InlineData(S3CreateReason.CopyObject, "CopyObject")]
    [InlineData(S3CreateReason.CompleteMultipartUpload, "CompleteMultipartUpload")]
    public void ObjectCreated_Reason_IsNamedAsS3NamesIt(S3CreateReason reason, string expected)
    {
        var evt = S3Events.ObjectCreated("b", "k", 1, "e", S3Events.Sequencer(1), reason, Context);
        Assert.Equal(new JsonString(expected), ((JsonObject)evt["detail"]!)["reason"]);
    }

    [Fact]
    public void ObjectDeleted_HasTheDocumentedShape()
    {
        var evt = S3Events.ObjectDeleted("DOC-EXAMPLE-BUCKET1", "example-key", "d41d8cd98f00b204e9800998ecf8427e", "00617F0A1B2C3D4E5F",
            S3DeleteReason.DeleteObject, Context);
        Assert.Equal(JsonValue.Parse("""
            {"version":"0","id":"17793124-05d4-b198-2fde-7ededc63b103","detail-type":"Object Deleted","source":"aws.s3",
             "account":"111122223333","time":"2021-11-12T00:00:00Z","region":"ca-central-1","resources":["arn:aws:s3:::DOC-EXAMPLE-BUCKET1"],
             "detail":{"version":"0","bucket":{"name":"DOC-EXAMPLE-BUCKET1"},"object":{"key":"example-key","etag":"d41d8cd98f00b204e9800998ecf8427e","sequencer":"00617F0A1B2C3D4E5F"},
               "request-id":"N4N7GDK58NMKJ12R","requester":"123456789012","source-ip-address":"1.2.3.4","reason":"DeleteObject","deletion-type":"Permanently Deleted"}}
            """), evt);
        var expired = S3Events.ObjectDeleted("b", "k", "e", "s", S3DeleteReason.LifecycleExpiration, Context, deleteMarkerCreated: true);
        Assert.Equal(new JsonString("Lifecycle Expiration"), ((JsonObject)expired["detail"]!)["reason"]);
        Assert.Equal(new JsonString("Delete Marker Created"), ((JsonObject)expired["detail"]!)["deletion-type"]);
    }

    [Theory]
    [InlineData(S3CreateReason.PutObject)]
    [InlineData(S3CreateReason.CopyObject)]
    [InlineData(S3CreateReason.CompleteMultipartUpload)]
    public void SeedRule_MatchesObjectCreatedInItsBucket(S3CreateReason reason)
    {
        Assert.True(SeedRule().Matches(S3Events.ObjectCreated("order-data-rohe", "orders.json", 412, "e", "s", reason, Context)));
    }

    [Fact]
    public void SeedRule_MatchesNoOtherBucketTypeOrSource()
    {
        var rule = SeedRule();
        Assert.False(rule.Matches(S3Events.ObjectCreated("other-bucket", "orders.json", 1, "e", "s", S3CreateReason.PutObject, Context)));
        Assert.False(rule.Matches(S3Events.ObjectDeleted("order-data-rohe", "orders.json", "e", "s", S3DeleteReason.DeleteObject, Context)));
        var created = S3Events.ObjectCreated("order-data-rohe", "orders.json", 1, "e", "s", S3CreateReason.PutObject, Context);
        Assert.False(rule.Matches(created.SetItem("source", new JsonString("custom.orders"))));
        Assert.True(rule.Matches(JsonValue.Parse(File.ReadAllText(Path.Combine("samples", "seed", "s3-object-created.event.json")))));
    }
}
