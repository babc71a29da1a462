using System.Diagnostics;
using System.Globalization;
using System.Text;
using OrderFlow.Json;
using OrderFlow.Orders;
using OrderFlow.Orders.Validation;

namespace OrderFlow.Bench;

/// <summary>
/// The validate-order function alone, one core: N orders from <c>orderflow generate</c> (10% invalid, every defect kind),
/// parsed once, then validated (schema + business rules) and turned into items, as the pipeline's children do.
/// </summary>
internal static class ValidateBenchmarks
{
    public static async Task RunAsync(int count)
    {
        var dir = Path.Combine(Path.GetTempPath(), "orderflow-validate-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var file = Path.Combine(dir, "orders.jsonl");
            var cli = Path.Combine(AppContext.BaseDirectory, "orderflow.dll");
            using (var generate = Process.Start("dotnet", [cli, "generate", "--orders", count.ToString(CultureInfo.InvariantCulture), "--invalid-rate", "0.1", "--seed", "1", "--out", file]))
            {
                await generate.WaitForExitAsync();
            }
            var lines = await File.ReadAllLinesAsync(file);
            var orders = lines.Select(JsonValue.Parse).ToArray();
            var validator = new OrderValidator();
            Measure("parse JSON line", lines.Length, () => { foreach (var line in lines) { JsonValue.Parse(line); } });
            var valid = orders.Where(o => validator.Validate(o).Count == 0).ToArray();
            var invalid = orders.Where(o => validator.Validate(o).Count > 0).ToArray();
            Measure("OrderValidator.Validate, valid orders", valid.Length, () => { foreach (var order in valid) { validator.Validate(order); } });
            Measure("OrderValidator.Validate, invalid orders", invalid.Length, () => { foreach (var order in invalid) { validator.Validate(order); } });
            Measure("OrderValidator.Validate", orders.Length, () => { foreach (var order in orders) { validator.Validate(order); } });
            Measure("ContentHash.Of", orders.Length, () => { foreach (var order in orders) { ContentHash.Of(order); } });
            Measure("ValidateOrderFunction.RejectionId", orders.Length, () => { foreach (var order in orders) { ValidateOrderFunction.RejectionId(Source, "0123456789abcdef0123456789abcdef"); } });
            Measure("ValidateOrderFunction.Validate, valid", valid.Length, () => { foreach (var order in valid) { ValidateOrderFunction.Validate(order, Source); } });
            Measure("ValidateOrderFunction.Validate, invalid", invalid.Length, () => { foreach (var order in invalid) { ValidateOrderFunction.Validate(order, Source); } });
            Measure("ValidateOrderFunction.Validate", orders.Length, () => { foreach (var order in orders) { ValidateOrderFunction.Validate(order); } });
            var batches = orders.Chunk(100).Select(chunk => (JsonValue)new JsonObjectBuilder(1).Set("Items", new JsonArray(chunk)).Build()).ToArray();
            Measure("ValidateOrderFunction.Invoke (batches of 100)", orders.Length, () => { foreach (var batch in batches) { ValidateOrderFunction.Invoke(batch); } });
            // As the pipeline's Distributed Map hands them over: each order with its source, the batch naming both tables
            // (so the valid orders' writes are built and the invalid orders are rejected together).
            var pipelineBatches = orders.Select((order, i) => (JsonValue)new JsonObjectBuilder(2).Set("order", order)
                    .Set("source", new JsonObjectBuilder(3).Set("bucket", "orderflow-inbox").Set("key", "orders.jsonl").Set("position", JsonNumber.FromInt64(i)).Build()).Build())
                .Chunk(100)
                .Select(chunk => (JsonValue)new JsonObjectBuilder(2).Set("Items", new JsonArray(chunk)).Set("BatchInput", PipelineBatchInput).Build())
                .ToArray();
            Measure("ValidateOrderFunction.Invoke (the pipeline's batches)", orders.Length, () => { foreach (var batch in pipelineBatches) { ValidateOrderFunction.Invoke(batch); } });
            Measure("ValidateOrderFunction.Handle (stream)", orders.Length, () =>
            {
                foreach (var line in lines)
                {
                    using var output = ValidateOrderFunction.Handle(new MemoryStream(Encoding.UTF8.GetBytes(line)));
                }
            });
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static readonly JsonValue PipelineBatchInput = JsonValue.Parse("""{"ordersTable":"orderflow-orders","rejectionsTable":"orderflow-rejections"}""");

    private static readonly JsonValue Source = JsonValue.Parse("""{"bucket":"orderflow-inbox","key":"orders.jsonl","position":123456}""");

    private static void Measure(string what, int count, Action run)
    {
        run(); // warm-up (and tiered compilation)
        var best = TimeSpan.MaxValue;
        var gcBefore = GC.CollectionCount(0);
        for (var round = 0; round < 3; round++)
        {
            var stopwatch = Stopwatch.StartNew();
            run();
            best = stopwatch.Elapsed < best ? stopwatch.Elapsed : best;
        }
        var gcs = (GC.CollectionCount(0) - gcBefore) / 3.0;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        run();
        var bytes = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / (double)count;
        Console.WriteLine($"validate: {what,-40} {best.TotalMicroseconds / count,7:F2} µs/order = {count / best.TotalSeconds,12:N0} orders/s on one core (best of 3; {gcs:F0} gen0 GCs per round; {bytes:N0} bytes allocated per order)");
    }
}
