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
            await cloud.Tables.CreateTableAsync(new TableSchema("rejections", "RejectionId", "S", null, null), CancellationToken.None);
            await RejectInBatchesAsync(cloud, writers: 32, calls: 10_000);
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

    /// <summary>
    /// The pipeline's way of rejecting a batch's invalid orders, by its two writes: a SendMessageBatch of 10 messages
    /// the size of a rejection (the order, its reasons, its source: about 700 bytes), then a BatchWriteItem of their 10
    /// records. Reports each call's rate and the process's CPU time per message and per record.
    /// </summary>
    private static async Task RejectInBatchesAsync(LocalCloud cloud, int writers, int calls)
    {
        var body = """{"error":"OrderRejected","reasons":[{"path":"$.contact-info","message":"is required"}],"source":{"bucket":"orderflow-inbox","key":"orders.jsonl","position":N},"order":{"order-info":{"OrderId":"ORD-N","item-id":"SKU-10475","item-desc":"Gorgeous Soft Gloves","qty":1,"unit-price":195.23,"currency":"USD","order-date":"2025-05-12T21:15:57Z","status":"paid"}},"rejectionId":"cf48176397c2f4360012#00000000000N|271f329e326b1742dc0ceec38bb71fb8"}""";
        JsonObject Batch(int call) => new JsonObjectBuilder(2).Set("QueueUrl", "dlq").Set("Entries", new JsonArray([.. Enumerable.Range(0, 10).Select(i =>
            (JsonValue)new JsonObjectBuilder(2).Set("Id", i.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Set("MessageBody", body.Replace("N", (call * 10 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)).Build())])).Build();
        JsonObject Records(int call) => JsonObject.Of("RequestItems", JsonObject.Of("rejections", new JsonArray([.. Enumerable.Range(0, 10).Select(i =>
            (JsonValue)JsonObject.Of("PutRequest", JsonObject.Of("Item", new JsonObjectBuilder(2)
                .Set("RejectionId", JsonObject.Of("S", new JsonString($"cf48176397c2f4360012#{call * 10 + i:D12}|271f329e326b1742dc0ceec38bb71fb8")))
                .Set("orderId", JsonObject.Of("S", new JsonString($"ORD-{call * 10 + i}"))).Build())))])));
        var sends = Enumerable.Range(0, calls).Select(Batch).ToArray();
        var records = Enumerable.Range(0, calls).Select(Records).ToArray();
        foreach (var (operation, service, requests) in new[] { ("SendMessageBatch", (Func<string, JsonObject, Task<bool>>)Sqs, sends), ("BatchWriteItem", Ddb, records) })
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var rate = await Concurrently(writers, calls, async i =>
            {
                if (!await service(operation, requests[i]))
                {
                    throw new InvalidOperationException($"{operation} failed");
                }
            });
            var perEntry = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / (calls * 10.0);
            Console.WriteLine($"  {operation + " of 10",-31} {rate,10:N0} calls/s durable, {writers} concurrent writers, {calls:N0} calls; CPU {perEntry:F1} µs per entry");
        }

        async Task<bool> Sqs(string operation, JsonObject request) => !(await cloud.Queues.ExecuteAsync(operation, request, CancellationToken.None)).Failed;
        async Task<bool> Ddb(string operation, JsonObject request) => !(await cloud.Tables.ExecuteAsync(operation, request, CancellationToken.None)).Failed;
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
