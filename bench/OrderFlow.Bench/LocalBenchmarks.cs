using System.Diagnostics;
using OrderFlow.Events.S3;
using OrderFlow.Json;
using OrderFlow.Local;
using OrderFlow.Local.Queues;
using OrderFlow.Local.Tables;

namespace OrderFlow.Bench;

/// <summary>The embedded services: durable PutItem/s and SendMessage/s from concurrent writers, GetObject MB/s.</summary>
internal static class LocalBenchmarks
{
    public static async Task RunAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "orderflow-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var cloud = LocalCloud.Open(new LocalCloudOptions { DataDirectory = dir });
            await cloud.Tables.CreateTableAsync(new TableSchema("orders", "OrderId", "S", null, null), CancellationToken.None);
            await cloud.Queues.CreateQueueAsync(new QueueSettings("dlq"), CancellationToken.None);
            await cloud.Buckets.CreateBucketAsync("files", CancellationToken.None);
            Console.WriteLine($"local: data directory {dir} (SQLite WAL, synchronous=FULL: every acknowledged write is on disk)");
            await PutItemsAsync(cloud, writers: 64, total: 200_000);
            await PutItemsAsync(cloud, writers: 256, total: 200_000, offset: 1_000_000);
            await SendMessagesAsync(cloud, writers: 64, total: 200_000);
            await GetObjectAsync(cloud);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task PutItemsAsync(LocalCloud cloud, int writers, int total, int offset = 0)
    {
        var template = "{\"TableName\":\"orders\",\"Item\":{\"OrderId\":{\"S\":\"ID\"},\"item-id\":{\"S\":\"101\"},\"qty\":{\"S\":\"1\"},\"contact-name\":{\"S\":\"Foo Bar\"},\"contact-email\":{\"S\":\"foobar@test.com\"}},\"ConditionExpression\":\"attribute_not_exists(OrderId)\"}";
        var requests = Enumerable.Range(0, total).Select(i => (JsonObject)JsonValue.Parse(template.Replace("ID", (offset + i).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))).ToArray();
        var rate = await Concurrently(writers, total, async i =>
        {
            var result = await cloud.Tables.ExecuteAsync("PutItem", requests[i], CancellationToken.None);
            if (result.Failed)
            {
                throw new InvalidOperationException(result.Error!.ToString());
            }
        });
        Console.WriteLine($"  PutItem (insert-only condition) {rate,10:N0} items/s durable, {writers} concurrent writers, {total:N0} items");
    }

    private static async Task SendMessagesAsync(LocalCloud cloud, int writers, int total)
    {
        var request = (JsonObject)JsonValue.Parse("""{"QueueUrl":"dlq","MessageBody":"{\"order-info\":{\"orderId\":\"2\",\"item-id\":\"102\",\"qty\":\"2\"},\"error\":\"ContactInfoNotFound\"}"}""");
        var rate = await Concurrently(writers, total, async _ =>
        {
            var result = await cloud.Queues.ExecuteAsync("SendMessage", request, CancellationToken.None);
            if (result.Failed)
            {
                throw new InvalidOperationException(result.Error!.ToString());
            }
        });
        Console.WriteLine($"  SendMessage                     {rate,10:N0} messages/s durable, {writers} concurrent writers, {total:N0} messages");
    }

    private static async Task GetObjectAsync(LocalCloud cloud)
    {
        const int size = 64 * 1024 * 1024;
        var data = new byte[size];
        Random.Shared.NextBytes(data);
        await cloud.Buckets.PutObjectAsync("files", "big.bin", new MemoryStream(data), null, S3CreateReason.PutObject, CancellationToken.None);
        var buffer = new byte[1 << 20];
        long read = 0;
        var stopwatch = Stopwatch.StartNew();
        for (var round = 0; round < 8; round++)
        {
            var opened = cloud.Buckets.OpenObject("files", "big.bin");
            await using var stream = opened.Value.Content;
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0)
            {
                read += n;
            }
        }
        Console.WriteLine($"  GetObject (streamed)            {read / (1024.0 * 1024.0) / stopwatch.Elapsed.TotalSeconds,10:N0} MB/s, 64 MiB object read 8 times");
    }

    private static async Task<double> Concurrently(int writers, int total, Func<int, Task> body)
    {
        var next = -1;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                await body(i);
            }
        })));
        return total / stopwatch.Elapsed.TotalSeconds;
    }
}
