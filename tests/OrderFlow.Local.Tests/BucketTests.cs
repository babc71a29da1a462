using System.Text;
using OrderFlow.Events.Patterns;
using OrderFlow.Events.S3;
using OrderFlow.Json;
using static OrderFlow.Local.Tests.TestCloud;

namespace OrderFlow.Local.Tests;

/// <summary>S3 semantics of the embedded bucket, and the events it publishes.</summary>
public sealed class BucketTests : IAsyncLifetime
{
    private readonly TestCloud _t = new();

    public async Task InitializeAsync() => await _t.Cloud.Buckets.CreateBucketAsync("orders", CancellationToken.None);

    public async Task DisposeAsync() => await _t.DisposeAsync();

    private async Task Put(string key, string body) =>
        Assert.False((await _t.Cloud.Buckets.PutObjectAsync("orders", key, new MemoryStream(Encoding.UTF8.GetBytes(body)), "text/plain", S3CreateReason.PutObject, CancellationToken.None)).Failed);

    [Fact]
    public async Task PutGetHead_KeysWithSlashes_EtagIsMd5()
    {
        await Put("2026/11/orders.json", "hello");
        var got = await _t.S3("GetObject", "{'Bucket':'orders','Key':'2026/11/orders.json'}");
        Assert.Equal(new JsonString("hello"), got["Body"]);
        Assert.Equal(new JsonString("\"5d41402abc4b2a76b9719d911017c592\""), got["ETag"]);
        Assert.Equal(JsonValue.FromNumber(5), got["ContentLength"]);
        var head = await _t.S3("HeadObject", "{'Bucket':'orders','Key':'2026/11/orders.json'}");
        Assert.False(head.ContainsKey("Body"));
        Assert.Equal(new JsonString("text/plain"), head["ContentType"]);
    }

    [Fact]
    public async Task PutObject_ContentFailsPartWay_NoObjectAndNoFileLeft()
    {
        var content = new FailingStream(bytesBeforeFailure: 100_000);

        await Assert.ThrowsAsync<IOException>(() => _t.Cloud.Buckets.PutObjectAsync("orders", "cut.json", content, null, S3CreateReason.PutObject, CancellationToken.None));

        Assert.True(_t.Cloud.Buckets.HeadObject("orders", "cut.json").Failed);
        Assert.Empty(Directory.GetFiles(Path.Combine(_t.DataDirectory, "buckets", "orders")));
    }

    /// <summary>Gives zeros, then fails as a disk or a network would.</summary>
    private sealed class FailingStream(int bytesBeforeFailure) : MemoryStream(new byte[bytesBeforeFailure])
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position < Length ? base.ReadAsync(buffer, cancellationToken) : throw new IOException("the device is gone");
    }

    [Theory]
    [InlineData("bytes=0-3", "0123", "bytes 0-3/10")]
    [InlineData("bytes=7-", "789", "bytes 7-9/10")]
    [InlineData("bytes=-2", "89", "bytes 8-9/10")]
    [InlineData("bytes=5-100", "56789", "bytes 5-9/10")]
    public async Task GetObject_ByteRange_ReturnsThatSlice(string range, string body, string contentRange)
    {
        await Put("digits", "0123456789");
        var got = await _t.S3("GetObject", $"{{'Bucket':'orders','Key':'digits','Range':'{range}'}}");
        Assert.Equal(new JsonString(body), got["Body"]);
        Assert.Equal(new JsonString(contentRange), got["ContentRange"]);
    }

    [Theory]
    [InlineData("GetObject", "{'Bucket':'orders','Key':'missing'}", "NoSuchKey")]
    [InlineData("HeadObject", "{'Bucket':'orders','Key':'missing'}", "NotFound")]
    [InlineData("GetObject", "{'Bucket':'nobucket','Key':'k'}", "NoSuchBucket")]
    [InlineData("GetObject", "{'Bucket':'orders','Key':'digits','Range':'bytes=50-60'}", "InvalidRange")]
    public async Task Errors_AreNamedAsS3NamesThem(string operation, string request, string code)
    {
        await Put("digits", "0123456789");
        var result = await _t.Cloud.Buckets.ExecuteAsync(operation, J(request), CancellationToken.None);
        Assert.Equal(code, result.Error!.Code);
    }

    [Fact]
    public async Task ListObjectsV2_PrefixDelimiterAndPagination()
    {
        foreach (var key in new[] { "a.json", "in/1.json", "in/2.json", "in/sub/3.json", "out/x.json" })
        {
            await Put(key, key);
        }
        var root = await _t.S3("ListObjectsV2", "{'Bucket':'orders','Delimiter':'/'}");
        Assert.Equal(["a.json"], ((JsonArray)root["Contents"]!).Select(c => ((JsonString)((JsonObject)c)["Key"]!).Value));
        Assert.Equal(["in/", "out/"], ((JsonArray)root["CommonPrefixes"]!).Select(c => ((JsonString)((JsonObject)c)["Prefix"]!).Value));
        var inbox = await _t.S3("ListObjectsV2", "{'Bucket':'orders','Prefix':'in/','Delimiter':'/'}");
        Assert.Equal(["in/1.json", "in/2.json"], ((JsonArray)inbox["Contents"]!).Select(c => ((JsonString)((JsonObject)c)["Key"]!).Value));
        var keys = new List<string>();
        string? token = null;
        do
        {
            var page = await _t.S3("ListObjectsV2", "{'Bucket':'orders','MaxKeys':2" + (token is null ? "}" : $",'ContinuationToken':'{token}'}}"));
            keys.AddRange(((JsonArray)page["Contents"]!).Select(c => ((JsonString)((JsonObject)c)["Key"]!).Value));
            token = (page["NextContinuationToken"] as JsonString)?.Value;
            Assert.Equal(JsonValue.FromBoolean(token is not null), page["IsTruncated"]);
        }
        while (token is not null);
        Assert.Equal(5, keys.Count);
    }

    [Fact]
    public async Task CopyAndDelete_PublishCreatedAndDeletedEvents()
    {
        await _t.Cloud.StateMachines.CreateAsync("record", """{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""", CancellationToken.None);
        _t.Cloud.Bus.AddRule("created", EventPattern.Parse("""{"source":["aws.s3"],"detail-type":["Object Created"],"detail":{"bucket":{"name":["orders"]}}}"""), ["record"]);
        _t.Cloud.Bus.AddRule("deleted", EventPattern.Parse("""{"source":["aws.s3"],"detail-type":["Object Deleted"]}"""), ["record"]);
        await Put("src", "data");
        await _t.S3("CopyObject", "{'Bucket':'orders','Key':'dst','CopySource':'orders/src'}");
        await _t.S3("DeleteObject", "{'Bucket':'orders','Key':'src'}");
        await _t.S3("DeleteObject", "{'Bucket':'orders','Key':'src'}"); // deleting what is gone is fine, and publishes nothing
        var executions = await Task.WhenAll(_t.Cloud.TakeStartedExecutions());
        Assert.Equal(3, executions.Length);
        Assert.Equal(new JsonString("data"), (await _t.S3("GetObject", "{'Bucket':'orders','Key':'dst'}"))["Body"]);
        var missing = await _t.Cloud.Buckets.ExecuteAsync("GetObject", J("{'Bucket':'orders','Key':'src'}"), CancellationToken.None);
        Assert.Equal("NoSuchKey", missing.Error!.Code);
    }

    [Fact]
    public async Task PutObject_Overwrite_LeavesOneFileAndNoTemporaryFiles()
    {
        await Put("k", "first");
        await Put("k", "second");
        Assert.Equal(new JsonString("second"), (await _t.S3("GetObject", "{'Bucket':'orders','Key':'k'}"))["Body"]);
        var files = Directory.GetFiles(Path.Combine(_t.DataDirectory, "buckets", "orders"));
        Assert.Single(files);
        Assert.DoesNotContain(files, f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("AB")]
    [InlineData("Upper-Case")]
    [InlineData("-starts-with-dash")]
    public async Task CreateBucket_InvalidName_IsRejected(string name)
    {
        var result = await _t.Cloud.Buckets.CreateBucketAsync(name, CancellationToken.None);
        Assert.Equal("InvalidBucketName", result.Error!.Code);
    }
}
