#pragma warning disable CA5351 // S3's ETags are MD5s: nothing here is for security
using System.Security.Cryptography;
using OrderFlow.Events.Patterns;
using OrderFlow.Local.Buckets;

namespace OrderFlow.Local.Tests;

/// <summary>Uploads as a client's uploader makes them: large content in parts, with S3's multipart ETag.</summary>
public sealed class UploadTests : IAsyncLifetime
{
    private const int Part = 8 * 1024 * 1024;

    private readonly TestCloud _t = new();

    public async Task InitializeAsync() => await _t.Cloud.Buckets.CreateBucketAsync("orders", CancellationToken.None);

    public async Task DisposeAsync() => await _t.DisposeAsync();

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }

    // S3's multipart ETag worked out here on its own: the MD5 of the parts' MD5s, a hyphen, the number of parts.
    private static string ExpectedMultipartETag(byte[] content, int partSize)
    {
        var parts = content.Chunk(partSize).ToArray();
        return Convert.ToHexStringLower(MD5.HashData(parts.SelectMany(MD5.HashData).ToArray())) + "-" + parts.Length;
    }

    [Theory]
    [InlineData(16 * 1024 * 1024)] // at the threshold: 2 whole parts, no empty last part
    [InlineData(16 * 1024 * 1024 + 1)] // 2 whole parts and 1 byte
    [InlineData(35 * 1024 * 1024 + 12_345)]
    [InlineData(64 * 1024 * 1024)] // one group of 8 parts hashed in vector lanes, nothing after it
    [InlineData(75 * 1024 * 1024 + 3)] // a group, then parts one by one, the last one short
    public async Task UploadAsync_FromThreshold_SameBytesAndS3MultipartETag(int length)
    {
        var content = RandomBytes(length);

        var upload = await _t.Cloud.Buckets.UploadAsync("orders", "big.jsonl", new MemoryStream(content), null, CancellationToken.None);

        Assert.False(upload.Failed);
        Assert.Equal(ExpectedMultipartETag(content, Part), upload.Value.ETag);
        Assert.Equal(length, upload.Value.Size);
        var opened = _t.Cloud.Buckets.OpenObject("orders", "big.jsonl");
        await using var stored = opened.Value.Content;
        using var copy = new MemoryStream();
        await stored.CopyToAsync(copy);
        Assert.Equal(content, copy.ToArray());
        Assert.Equal(upload.Value.ETag, _t.Cloud.Buckets.HeadObject("orders", "big.jsonl").Value.ETag);
    }

    [Theory]
    [InlineData(16 * 1024 * 1024)]
    [InlineData(35 * 1024 * 1024 + 12_345)]
    public async Task OpenReadAsync_UploadedInParts_ItemReaderGetsSameBytes(int length)
    {
        var content = RandomBytes(length);
        await _t.Cloud.Buckets.UploadAsync("orders", "big.jsonl", new MemoryStream(content), null, CancellationToken.None);

        var opened = await new BucketObjectStore(_t.Cloud.Buckets).OpenReadAsync("orders", "big.jsonl", CancellationToken.None);
        await using var stored = opened.Content!;
        using var copy = new MemoryStream();
        await stored.CopyToAsync(copy);

        Assert.Equal(content, copy.ToArray());
    }

    [Fact]
    public async Task GetObject_RangeOfObjectUploadedInParts_ReturnsThatSlice()
    {
        var content = RandomBytes(17 * 1024 * 1024);
        for (var i = 16 * 1024 * 1024; i < content.Length; i++)
        {
            content[i] = (byte)('a' + ((i - (16 * 1024 * 1024)) % 26));
        }
        await _t.Cloud.Buckets.UploadAsync("orders", "big.jsonl", new MemoryStream(content), null, CancellationToken.None);

        var got = await _t.Cloud.Buckets.ExecuteAsync("GetObject",
            TestCloud.J("{'Bucket':'orders','Key':'big.jsonl','Range':'bytes=16777216-16777225'}"), CancellationToken.None);

        Assert.Equal("abcdefghij", ((OrderFlow.Json.JsonString)got.Value["Body"]!).Value);
    }

    [Fact]
    public async Task UploadAsync_BelowThreshold_OnePutWithMd5ETag()
    {
        var content = RandomBytes((int)LocalBuckets.MultipartThreshold - 1);

        var upload = await _t.Cloud.Buckets.UploadAsync("orders", "small.jsonl", new MemoryStream(content), null, CancellationToken.None);

        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(content)), upload.Value.ETag);
    }

    [Fact]
    public async Task UploadAsync_InParts_PublishesCompleteMultipartUpload()
    {
        await _t.Cloud.StateMachines.CreateAsync("record", """{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""", CancellationToken.None);
        _t.Cloud.Bus.AddRule("multipart", EventPattern.Parse("""{"detail-type":["Object Created"],"detail":{"reason":["CompleteMultipartUpload"]}}"""), ["record"]);
        _t.Cloud.Bus.AddRule("put", EventPattern.Parse("""{"detail-type":["Object Created"],"detail":{"reason":["PutObject"]}}"""), ["record"]);

        await _t.Cloud.Buckets.UploadAsync("orders", "big.jsonl", new MemoryStream(RandomBytes(17 * 1024 * 1024)), null, CancellationToken.None);

        var started = await Task.WhenAll(_t.Cloud.TakeStartedExecutions());
        var input = Assert.Single(started).Value.Output!.ToJsonString();
        Assert.Contains("\"CompleteMultipartUpload\"", input, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UploadAsync_ContentFailsPartWay_NoObjectAndNoFileLeft()
    {
        var content = new FailingStream(bytesBeforeFailure: 18 * 1024 * 1024);

        await Assert.ThrowsAsync<IOException>(() => _t.Cloud.Buckets.UploadAsync("orders", "cut.jsonl", content, null, CancellationToken.None));

        Assert.True(_t.Cloud.Buckets.HeadObject("orders", "cut.jsonl").Failed);
        Assert.Empty(Directory.GetFiles(Path.Combine(_t.DataDirectory, "buckets", "orders")));
    }

    [Fact]
    public async Task UploadAsync_UnknownLength_OnePutWithMd5ETag()
    {
        var content = RandomBytes(17 * 1024 * 1024);

        var upload = await _t.Cloud.Buckets.UploadAsync("orders", "stream.jsonl", new UnseekableStream(content), null, CancellationToken.None);

        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(content)), upload.Value.ETag);
    }

    /// <summary>Gives zeros, then fails as a disk or a network would.</summary>
    private sealed class FailingStream(int bytesBeforeFailure) : MemoryStream(new byte[bytesBeforeFailure])
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position < Length ? base.ReadAsync(buffer, cancellationToken) : throw new IOException("the device is gone");
    }

    private sealed class UnseekableStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;
    }
}
