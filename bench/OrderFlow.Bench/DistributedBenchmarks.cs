using System.Diagnostics;
using System.Globalization;
using System.Text;
using OrderFlow.Events.S3;
using OrderFlow.Json;
using OrderFlow.Local;
using OrderFlow.Local.Functions;
using OrderFlow.Local.Queues;
using OrderFlow.Local.Tables;
using OrderFlow.States.Execution;
using OrderFlow.States.Model;

namespace OrderFlow.Bench;

/// <summary>
/// A JSON Lines order file of about 1 GB through a Distributed Map running the seed's item workflow on the embedded
/// services: validate (in-process function), store (durable PutItem), invalid ones to the queue. Reports orders/s
/// and the peak resident memory, which must not grow with the file.
/// </summary>
internal static class DistributedBenchmarks
{
    public static async Task RunAsync(long targetBytes)
    {
        var dir = Path.Combine(Path.GetTempPath(), "orderflow-distributed-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var cloud = LocalCloud.Open(new LocalCloudOptions { DataDirectory = dir });
            await cloud.Buckets.CreateBucketAsync("orders", CancellationToken.None);
            await cloud.Tables.CreateTableAsync(new TableSchema("ecom-order", "OrderId", "S", null, null), CancellationToken.None);
            await cloud.Queues.CreateQueueAsync(new QueueSettings("order-data-dlq"), CancellationToken.None);
            cloud.Functions.Register("order-json", OrderFlow.Local.Functions.Seed.OrderJsonFunction.Handle);

            var file = Path.Combine(dir, "orders.jsonl");
            var (orders, invalid) = Generate(file, targetBytes);
            await using (var content = File.OpenRead(file))
            {
                await cloud.Buckets.PutObjectAsync("orders", "orders.jsonl", content, "application/x-ndjson", S3CreateReason.PutObject, CancellationToken.None);
            }
            var size = new FileInfo(file).Length;
            File.Delete(file);
            var before = PeakRss();
            var machine = StateMachine.Parse(Definition);
            var stopwatch = Stopwatch.StartNew();
            var result = await machine.RunAsync(JsonValue.Parse("""{"bucket":"orders","key":"orders.jsonl"}"""), cloud.ExecutionOptions with { RecordHistory = false });
            stopwatch.Stop();
            if (result.Status != ExecutionStatus.Succeeded)
            {
                throw new InvalidOperationException($"benchmark run failed: {result.Error}");
            }
            var run = result.MapRuns[0];
            Console.WriteLine($"distributed: {size / 1e9:F2} GB JSON Lines, {orders:N0} orders ({invalid:N0} invalid) in {stopwatch.Elapsed.TotalSeconds:F1} s = {orders / stopwatch.Elapsed.TotalSeconds:N0} orders/s; "
                + $"{run.Succeeded:N0} children succeeded, {run.Failed:N0} failed; peak RSS {PeakRss():N0} MiB (before the run {before:N0} MiB)");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private const string Definition = """
        {"StartAt":"Orders","States":{"Orders":{"Type":"Map","MaxConcurrency":256,
          "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSONL"},"Parameters":{"Bucket.$":"$.bucket","Key.$":"$.key"}},
          "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},"StartAt":"validate-order-data","States":{
            "validate-order-data":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
              "Parameters":{"Payload.$":"$","FunctionName":"order-json"},
              "ResultSelector":{"contact-info.$":"$.Payload.contact-info","order-info.$":"$.Payload.order-info"},
              "Catch":[{"ErrorEquals":["States.TaskFailed"],"ResultPath":"$.error","Next":"SQS SendMessage"}],"Next":"DynamoDB PutItem"},
            "DynamoDB PutItem":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:putItem",
              "Parameters":{"TableName":"ecom-order","Item":{"OrderId":{"S.$":"$.order-info.OrderId"},"item-id":{"S.$":"$.order-info.item-id"},
                "qty":{"S.$":"$.order-info.qty"},"contact-name":{"S.$":"$.contact-info.name"},"contact-email":{"S.$":"$.contact-info.email"}}},
              "ResultPath":null,"End":true},
            "SQS SendMessage":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage",
              "Parameters":{"MessageBody.$":"$","QueueUrl":"order-data-dlq"},"ResultPath":null,"End":true}}},
          "ResultPath":null,"End":true}}}
        """;

    private static (long Orders, long Invalid) Generate(string path, long targetBytes)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        long orders = 0, invalid = 0, bytes = 0;
        var line = new StringBuilder(512);
        while (bytes < targetBytes)
        {
            orders++;
            var id = orders.ToString(CultureInfo.InvariantCulture);
            line.Clear();
            line.Append("{\"order-info\":{\"OrderId\":\"").Append(id).Append("\",\"item-id\":\"").Append(100 + (orders % 50))
                .Append("\",\"item-desc\":\"Item number ").Append(orders % 50).Append(" of the spring catalogue\",\"qty\":\"").Append(1 + (orders % 5))
                .Append("\",\"unit-price\":\"").Append(9 + (orders % 90)).Append(".99\",\"currency\":\"EUR\",\"status\":\"paid\",\"order-date\":\"2026-11-25T10:00:00Z\"}");
            if (orders % 10 == 0)
            {
                invalid++;
            }
            else
            {
                line.Append(",\"contact-info\":{\"name\":\"Customer ").Append(id).Append("\",\"email\":\"customer").Append(id).Append("@example.com\",\"phone\":\"+49 30 1234567\",\"country\":\"DE\"}");
            }
            line.Append('}');
            writer.WriteLine(line);
            bytes += line.Length + 1;
        }
        return (orders, invalid);
    }

    private static long PeakRss()
    {
        foreach (var l in File.ReadLines("/proc/self/status"))
        {
            if (l.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
            }
        }
        return -1;
    }
}
