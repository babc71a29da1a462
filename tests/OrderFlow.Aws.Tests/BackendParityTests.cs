using OrderFlow.Json;
using OrderFlow.Local;
using OrderFlow.Local.Integrations;
using OrderFlow.Local.Manifest;
using OrderFlow.Local.Storage;

namespace OrderFlow.Aws.Tests;

/// <summary>
/// The same requests against the embedded services and against the AWS SDK backends talking to real protocol peers:
/// the same results, and the same error names, so that Retry and Catch behave alike on both.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class BackendParityTests(ProtocolPeers peers) : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private readonly List<JsonObject> _events = [];
    private LocalCloud _local = null!;
    private IRemoteServices _aws = null!;

    private string Table => $"parity-{_suffix}";

    private string Queue => $"parity-{_suffix}";

    private string Bucket => $"parity-{_suffix}";

    public async Task InitializeAsync()
    {
        var manifest = ResourceManifest.Load(_dir.Write("manifest.json", Request("""
            {"buckets":["BUCKET_"],"tables":[{"name":"TABLE_","partitionKey":{"name":"id","type":"S"}}],"queues":[{"name":"QUEUE_"}]}
            """).ToJsonString()));
        _local = LocalCloud.Open(new LocalCloudOptions { DataDirectory = _dir.Combine("data") });
        await _local.InitAsync(manifest, CancellationToken.None);
        _aws = AwsRemoteServices.Factory(peers.Options)((evt, _) =>
        {
            lock (_events)
            {
                _events.Add(evt);
            }
            return Task.CompletedTask;
        });
        await _aws.CreateResourcesAsync(manifest, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _aws.DisposeAsync();
        await _local.DisposeAsync();
        _dir.Dispose();
    }

    /// <summary>A request; TABLE_, QUEUE_ and BUCKET_ stand for this test's resources.</summary>
    private JsonObject Request(string json) =>
        (JsonObject)JsonValue.Parse(json.Replace("TABLE_", Table, StringComparison.Ordinal).Replace("QUEUE_", Queue, StringComparison.Ordinal).Replace("BUCKET_", Bucket, StringComparison.Ordinal));

    /// <summary>Runs the request on both backends; returns both outcomes as comparable JSON (the error's name, or the response).</summary>
    private static async Task<(JsonValue Embedded, JsonValue Aws)> Both(IServiceApi local, IServiceApi aws, string operation, JsonObject request, params string[] ignore)
    {
        static JsonValue Shape(ServiceResult<JsonObject> result, string[] ignore) => result.Failed
            ? new JsonObjectBuilder(1).Set("error", result.Error!.Code).Build()
            : JsonObject.Create(result.Value.Members.Where(m => !ignore.Contains(m.Key)));
        return (Shape(await local.ExecuteAsync(operation, request, CancellationToken.None), ignore), Shape(await aws.ExecuteAsync(operation, request, CancellationToken.None), ignore));
    }

    private static void AssertSame((JsonValue Embedded, JsonValue Aws) outcome, string? expected = null)
    {
        Assert.Equal(outcome.Embedded, outcome.Aws);
        if (expected is not null)
        {
            Assert.Equal(JsonValue.Parse(expected), outcome.Aws);
        }
    }

    [Fact]
    public async Task Tables_ConditionalWritesReadsUpdatesAndErrors_SameOnBothBackends()
    {
        var put = Request("""{"TableName":"TABLE_","Item":{"id":{"S":"o-1"},"qty":{"N":"2"},"tags":{"SS":["a","b"]},"info":{"M":{"ok":{"BOOL":true},"none":{"NULL":true},"list":{"L":[{"S":"x"},{"N":"1.5"}]}}}},"ConditionExpression":"attribute_not_exists(id)"}""");
        AssertSame(await Both(_local.Tables, _aws.Tables, "PutItem", put), "{}");
        AssertSame(await Both(_local.Tables, _aws.Tables, "PutItem", put), """{"error":"ConditionalCheckFailedException"}""");
        AssertSame(await Both(_local.Tables, _aws.Tables, "GetItem", Request("""{"TableName":"TABLE_","Key":{"id":{"S":"o-1"}}}""")));
        AssertSame(await Both(_local.Tables, _aws.Tables, "GetItem", Request("""{"TableName":"TABLE_","Key":{"id":{"S":"missing"}}}""")), "{}");
        AssertSame(await Both(_local.Tables, _aws.Tables, "UpdateItem", Request("""{"TableName":"TABLE_","Key":{"id":{"S":"o-1"}},"UpdateExpression":"SET qty = qty + :one","ExpressionAttributeValues":{":one":{"N":"1"}},"ReturnValues":"UPDATED_NEW"}""")),
            """{"Attributes":{"qty":{"N":"3"}}}""");
        AssertSame(await Both(_local.Tables, _aws.Tables, "Query", Request("""{"TableName":"TABLE_","KeyConditionExpression":"id = :id","ExpressionAttributeValues":{":id":{"S":"o-1"}},"ProjectionExpression":"id, qty"}"""), "ScannedCount"),
            """{"Items":[{"id":{"S":"o-1"},"qty":{"N":"3"}}],"Count":1}""");
        AssertSame(await Both(_local.Tables, _aws.Tables, "DeleteItem", Request("""{"TableName":"TABLE_","Key":{"id":{"S":"o-1"}},"ReturnValues":"ALL_OLD"}""")));
        AssertSame(await Both(_local.Tables, _aws.Tables, "GetItem", Request("""{"TableName":"no-such-table","Key":{"id":{"S":"x"}}}""")), """{"error":"ResourceNotFoundException"}""");
    }

    [Fact]
    public async Task Tables_ParallelScanSegments_SplitTheTableOnBothBackends()
    {
        var ids = Enumerable.Range(0, 12).Select(i => $"s-{i:D2}").ToList();
        foreach (var id in ids)
        {
            AssertSame(await Both(_local.Tables, _aws.Tables, "PutItem", Request("""{"TableName":"TABLE_","Item":{"id":{"S":"ID_"}}}""".Replace("ID_", id, StringComparison.Ordinal))), "{}");
        }
        foreach (var api in new[] { _local.Tables, _aws.Tables })
        {
            var found = new List<string>();
            for (var segment = 0; segment < 3; segment++)
            {
                var page = await api.ExecuteAsync("Scan", Request("""{"TableName":"TABLE_","Segment":N_,"TotalSegments":3}""".Replace("N_", $"{segment}", StringComparison.Ordinal)), CancellationToken.None);
                Assert.False(page.Failed, page.Error?.Message);
                found.AddRange(((JsonArray)page.Value["Items"]!).Select(i => ((JsonString)((JsonObject)((JsonObject)i)["id"]!)["S"]!).Value));
            }
            Assert.Equal(ids, found.Order(StringComparer.Ordinal));
        }
        AssertSame(await Both(_local.Tables, _aws.Tables, "Scan", Request("""{"TableName":"TABLE_","Segment":3,"TotalSegments":3}""")), """{"error":"ValidationException"}""");
    }

    [Fact]
    public async Task Queues_SendReceiveDeleteAndErrors_SameOnBothBackends()
    {
        var url = $"https://sqs.us-east-1.amazonaws.com/123456789012/{Queue}";
        // The same MD5OfMessageBody on both: the JSON body is sent as the same text.
        AssertSame(await Both(_local.Queues, _aws.Queues, "SendMessage", Request("""{"QueueUrl":"https://sqs.us-east-1.amazonaws.com/123456789012/QUEUE_","MessageBody":{"error":"OrderRejected","position":3}}"""), "MessageId"));
        foreach (var api in new[] { _local.Queues, _aws.Queues })
        {
            var received = await api.ExecuteAsync("ReceiveMessage", Request("""{"QueueUrl":"https://sqs.us-east-1.amazonaws.com/123456789012/QUEUE_","MaxNumberOfMessages":10,"WaitTimeSeconds":1}"""), CancellationToken.None);
            var message = (JsonObject)Assert.Single((JsonArray)received.Value["Messages"]!);
            Assert.Equal(new JsonString("""{"error":"OrderRejected","position":3}"""), message["Body"]);
            var deleted = await api.ExecuteAsync("DeleteMessage", new JsonObjectBuilder(2).Set("QueueUrl", url).Set("ReceiptHandle", message["ReceiptHandle"]!).Build(), CancellationToken.None);
            Assert.False(deleted.Failed, deleted.Error?.Message);
        }
        AssertSame(await Both(_local.Queues, _aws.Queues, "SendMessage", Request("""{"QueueUrl":"https://sqs.us-east-1.amazonaws.com/123456789012/no-such-queue","MessageBody":"x"}""")),
            """{"error":"QueueDoesNotExist"}""");
    }

    [Fact]
    public async Task Buckets_PutGetListAndErrors_SameOnBothBackends_AndWritesPublishObjectCreated()
    {
        var put = Request("""{"Bucket":"BUCKET_","Key":"in/orders.json","Body":{"orders":[]}}""");
        AssertSame(await Both(_local.Buckets, _aws.Buckets, "PutObject", put));
        AssertSame(await Both(_local.Buckets, _aws.Buckets, "GetObject", Request("""{"Bucket":"BUCKET_","Key":"in/orders.json"}"""), "LastModified", "ContentType", "AcceptRanges"));
        AssertSame(await Both(_local.Buckets, _aws.Buckets, "GetObject", Request("""{"Bucket":"BUCKET_","Key":"in/missing.json"}""")), """{"error":"NoSuchKey"}""");
        AssertSame(await Both(_local.Buckets, _aws.Buckets, "GetObject", Request("""{"Bucket":"no-such-bucket-orderflow","Key":"k"}""")), """{"error":"NoSuchBucket"}""");
        var (embedded, aws) = await Both(_local.Buckets, _aws.Buckets, "ListObjectsV2", Request("""{"Bucket":"BUCKET_","Prefix":"in/"}"""));
        Assert.Equal(Keys(embedded), Keys(aws));
        Assert.Equal(["in/orders.json"], Keys(aws));

        await using (var content = new MemoryStream("[1,2,3]"u8.ToArray()))
        {
            Assert.Null(await _aws.ObjectStore.WriteAsync(Bucket, "in/three.json", content, CancellationToken.None));
        }
        var created = _events.Select(e => (JsonObject)e["detail"]!).Last();
        Assert.Equal(Request("""{"name":"BUCKET_"}"""), created["bucket"]);
        Assert.Equal(new JsonString("in/three.json"), ((JsonObject)created["object"]!)["key"]);
        Assert.Equal(JsonValue.FromNumber(7), ((JsonObject)created["object"]!)["size"]);
        var opened = await _aws.ObjectStore.OpenReadAsync(Bucket, "in/three.json", CancellationToken.None);
        using var reader = new StreamReader(opened.Content!);
        Assert.Equal("[1,2,3]", await reader.ReadToEndAsync());
    }

    private static List<string> Keys(JsonValue list) =>
        [.. ((JsonArray)((JsonObject)list)["Contents"]!).Cast<JsonObject>().Select(o => ((JsonString)o["Key"]!).Value)];
}
