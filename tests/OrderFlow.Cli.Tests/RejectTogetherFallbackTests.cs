using System.Text;
using OrderFlow.Events.S3;
using OrderFlow.Json;
using OrderFlow.Local;
using OrderFlow.Local.Functions;
using OrderFlow.Local.Manifest;
using OrderFlow.Orders;
using OrderFlow.States.Execution;

namespace OrderFlow.Cli.Tests;

/// <summary>
/// The pipeline rejects a batch's invalid orders together (one lookup, message batches, record batches). When a step of
/// that fails, the batch's rejections go the one-at-a-time way instead: every rejected order still reaches the queue
/// and its record, and the valid orders are stored as usual.
/// </summary>
public sealed class RejectTogetherFallbackTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Definitions() => Path.Combine(RepositoryRoot.Path, "definitions");

    /// <summary>30 orders, one per line; orders 4, 14 and 24 have no contact-info.</summary>
    private static byte[] OrderFile()
    {
        var lines = Enumerable.Range(0, 30).Select(i => i % 10 == 4
            ? $$$"""{"order-info":{"OrderId":"F-{{{i}}}","item-id":"101","qty":1}}"""
            : $$$"""{"order-info":{"OrderId":"F-{{{i}}}","item-id":"101","qty":1},"contact-info":{"name":"N","email":"n{{{i}}}@example.com"}}""");
        return Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");
    }

    [Theory]
    [InlineData("arn:aws:states:::aws-sdk:dynamodb:batchGetItem")]
    [InlineData("arn:aws:states:::aws-sdk:sqs:sendMessageBatch")]
    public async Task Process_RejectingTogetherFails_RejectsOneAtATime(string failingResource)
    {
        FunctionCatalog.Add("orders.validate-order", () => ValidateOrderFunction.Handle, ValidateOrderFunction.Invoke);
        var definitions = _dir.Combine("definitions");
        Directory.CreateDirectory(definitions);
        foreach (var file in Directory.GetFiles(Definitions()))
        {
            File.Copy(file, Path.Combine(definitions, Path.GetFileName(file)));
        }
        await using var cloud = LocalCloud.Open(new LocalCloudOptions { DataDirectory = _dir.Combine("data"), WaitTimeScale = 0 });
        await cloud.InitAsync(ResourceManifest.Load(Path.Combine(definitions, "manifest.json")), CancellationToken.None);
        var refused = 0;
        cloud.ExecutionOptions.Handlers.Register(failingResource, (_, _) =>
        {
            Interlocked.Increment(ref refused);
            return ValueTask.FromResult(Evaluated.Fail("Service.AccessDeniedException", "not allowed in this test"));
        });

        using var content = new MemoryStream(OrderFile());
        var put = await cloud.Buckets.PutObjectAsync("orderflow-inbox", "orders.jsonl", content, "application/x-ndjson", S3CreateReason.PutObject, CancellationToken.None);
        Assert.False(put.Failed);
        var result = await Assert.Single(cloud.TakeStartedExecutions());

        Assert.False(result.Failed, result.Error?.Message);
        Assert.True(result.Value.Status == ExecutionStatus.Succeeded, $"{result.Value.Error}");
        Assert.True(refused > 0, "the pipeline did not try to reject together");
        Assert.Equal(27, await Count(cloud, "orders"));
        Assert.Equal(3, await Count(cloud, "order-rejections"));
        var attributes = await cloud.Queues.ExecuteAsync("GetQueueAttributes",
            (JsonObject)JsonValue.Parse("""{"QueueUrl":"orders-rejected","AttributeNames":["ApproximateNumberOfMessages"]}"""), CancellationToken.None);
        Assert.Equal("3", ((JsonString)((JsonObject)attributes.Value["Attributes"]!)["ApproximateNumberOfMessages"]!).Value);
    }

    private static async Task<long> Count(LocalCloud cloud, string table)
    {
        var scan = await cloud.Tables.ExecuteAsync("Scan", JsonObject.Of("TableName", new JsonString(table)), CancellationToken.None);
        return (long)((JsonNumber)scan.Value["Count"]!).Value;
    }
}
