using OrderFlow.Events.S3;
using OrderFlow.Json;
using OrderFlow.Local.Manifest;
using OrderFlow.States.Execution;

namespace OrderFlow.Local.Tests;

/// <summary>The seed's definition, unchanged, on the embedded services: a file in, one order stored, one queued.</summary>
public sealed class SeedEndToEndTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "samples", "seed", name);

    [Fact]
    public async Task SeedFile_PutIntoBucket_StoresValidOrderAndQueuesInvalidOne()
    {
        await using (var cloud = LocalCloud.Open(new LocalCloudOptions { DataDirectory = _dir.Path, WaitTimeScale = 0 }))
        {
            await cloud.InitAsync(ResourceManifest.Load(Sample("manifest.json")), CancellationToken.None);
            await using var file = File.OpenRead(Sample("orders.json"));
            var put = await cloud.Buckets.PutObjectAsync("order-data-rohe", "orders.json", file, "application/json", S3CreateReason.PutObject, CancellationToken.None);
            Assert.False(put.Failed);

            var executions = cloud.TakeStartedExecutions();
            var execution = Assert.Single(executions);
            var result = await execution;
            Assert.False(result.Failed, result.Error?.Message);
            Assert.True(result.Value.Status == ExecutionStatus.Succeeded, $"{result.Value.Error}");
        }

        // A new process: the data is still there.
        await using var reopened = LocalCloud.Open(new LocalCloudOptions { DataDirectory = _dir.Path });
        var scan = await reopened.Tables.ExecuteAsync("Scan", JsonObject.Create([new("TableName", new JsonString("ecom-order"))]), CancellationToken.None);
        Assert.Equal(JsonValue.Parse("""
            {"Items":[{"OrderId":{"S":"1"},"item-id":{"S":"101"},"qty":{"S":"1"},"contact-name":{"S":"Foo Bar"},"contact-email":{"S":"foobar@test.com"}}],"Count":1,"ScannedCount":1}
            """), scan.Value);
        var received = await reopened.Queues.ExecuteAsync("ReceiveMessage", JsonObject.Create([
            new("QueueUrl", new JsonString("https://sqs.ap-south-1.amazonaws.com/047624741166/order-data-dlq")),
            new("MaxNumberOfMessages", JsonValue.FromNumber(10))]), CancellationToken.None);
        var message = (JsonObject)Assert.Single((JsonArray)received.Value["Messages"]!);
        Assert.Equal(JsonValue.Parse("""{"order-info":{"orderId":"2","item-id":"102","item-desc":"Item Two","qty":"2"}}"""),
            JsonValue.Parse(((JsonString)message["Body"]!).Value));
        Assert.Single(reopened.StateMachines.ListExecutions("order-data-pipeline"));
    }
}
