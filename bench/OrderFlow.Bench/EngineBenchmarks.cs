using System.Diagnostics;
using System.Globalization;
using OrderFlow.States.Execution;
using OrderFlow.Json;
using OrderFlow.States.Model;
using OrderFlow.States.Tasks;

namespace OrderFlow.Bench;

/// <summary>Throughput and memory of the States engine, with instant in-process handlers and no history.</summary>
internal static class EngineBenchmarks
{
    private static readonly ExecutionOptions BaseOptions = new()
    {
        RecordHistory = false,
        WaitTimeScale = 0,
        MaxPayloadBytes = int.MaxValue, // benchmarks feed inputs far over the 256 KiB quota on purpose
    };

    /// <summary>State transitions per second through a chain of 100 Pass states with InputPath/ResultPath.</summary>
    public static async Task PassChainAsync()
    {
        const int chain = 100;
        var states = string.Join(",", Enumerable.Range(0, chain).Select(i =>
            $"\"P{i}\":{{\"Type\":\"Pass\",\"Parameters\":{{\"step\":{i},\"order.$\":\"$.order\"}},\"ResultPath\":\"$.last\",{(i == chain - 1 ? "\"End\":true" : $"\"Next\":\"P{i + 1}\"")}}}"));
        var machine = StateMachine.Parse($"{{\"StartAt\":\"P0\",\"States\":{{{states}}}}}");
        var input = JsonValue.Parse("""{"order":{"OrderId":"1","item-id":"101","qty":"1"},"last":null}""");
        await Measure("warm-up", machine, input, 2_000, chain);
        var (rate, _) = await Measure("pass-chain", machine, input, 30_000, chain);
        Console.WriteLine($"pass-chain: {rate:N0} transitions/s (100-state chain, Parameters + ResultPath per state, one core)");
    }

    private static async Task<(double Rate, TimeSpan Elapsed)> Measure(string name, StateMachine machine, JsonValue input, int executions, int transitionsPerExecution)
    {
        _ = name;
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < executions; i++)
        {
            var result = await machine.RunAsync(input, BaseOptions with { ExecutionName = "bench" });
            if (result.Status != ExecutionStatus.Succeeded)
            {
                throw new InvalidOperationException($"benchmark execution failed: {result.Error}");
            }
        }
        stopwatch.Stop();
        return (executions * (double)transitionsPerExecution / stopwatch.Elapsed.TotalSeconds, stopwatch.Elapsed);
    }

    /// <summary>The seed's item workflow (validate Lambda, PutItem, Catch → SQS) over an inline Map of generated orders.</summary>
    public static async Task SeedItemWorkflowAsync(int count)
    {
        var machine = SeedMap();
        var input = Orders(count, invalidEvery: 10);
        await machine.RunAsync(Orders(1_000, 10), Options()); // warm-up
        var stopwatch = Stopwatch.StartNew();
        var result = await machine.RunAsync(input, Options());
        stopwatch.Stop();
        Check(result, count);
        Console.WriteLine($"seed-item-workflow: {count / stopwatch.Elapsed.TotalSeconds:N0} item workflows/s "
            + $"({count:N0} orders, 10% rejected into the queue branch, MaxConcurrency 5, {stopwatch.Elapsed.TotalSeconds:F2} s)");
    }

    /// <summary>Peak resident memory of one inline Map over <paramref name="count"/> orders (input, iterations and output all held).</summary>
    public static async Task InlineMapMemoryAsync(int count)
    {
        var machine = SeedMap();
        var input = Orders(count, invalidEvery: 10);
        var inputHeap = GC.GetTotalMemory(forceFullCollection: true);
        var stopwatch = Stopwatch.StartNew();
        var result = await machine.RunAsync(input, Options());
        stopwatch.Stop();
        Check(result, count);
        var peak = PeakRssMiB();
        var retained = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"inline-map-memory: {count:N0} items in {stopwatch.Elapsed.TotalSeconds:F2} s, peak RSS {peak:N0} MiB "
            + $"(managed heap: input {inputHeap / (1024 * 1024):N0} MiB, input + output after run {retained / (1024 * 1024):N0} MiB)");
        GC.KeepAlive(input);
        GC.KeepAlive(result);
    }

    private static void Check(ExecutionResult result, int count)
    {
        if (result.Status != ExecutionStatus.Succeeded || result.Output is not JsonArray { Count: var n } || n != count)
        {
            throw new InvalidOperationException($"benchmark run failed: {result.Status} {result.Error}");
        }
    }

    private static ExecutionOptions Options()
    {
        var invoke = JsonValue.Parse("""{"StatusCode":200,"ExecutedVersion":"$LATEST"}""");
        var handlers = new TaskHandlerRegistry()
            .Register("arn:aws:states:::lambda:invoke", (inv, _) =>
            {
                var payload = ((JsonObject)inv.Parameters)["Payload"]!;
                return ValueTask.FromResult(((JsonObject)payload).ContainsKey("contact-info")
                    ? Evaluated.Ok(((JsonObject)invoke).SetItem("Payload", payload))
                    : Evaluated.Fail("ContactInfoNotFound", "{\"errorMessage\":\"contact-info is missing\",\"errorType\":\"ContactInfoNotFound\"}"));
            })
            .Register("arn:aws:states:::dynamodb:putItem", (_, _) => ValueTask.FromResult(Evaluated.Ok(JsonObject.Empty)))
            .Register("arn:aws:states:::sqs:sendMessage", (_, _) => ValueTask.FromResult(Evaluated.Ok(JsonObject.Empty)));
        return BaseOptions with { Handlers = handlers };
    }

    /// <summary>The seed's Map state on its own, reading the orders from the input (no GetObject).</summary>
    private static StateMachine SeedMap()
    {
        var seed = JsonValue.Parse(File.ReadAllText(FindSample()));
        var map = (JsonObject)((JsonObject)((JsonObject)seed)["States"]!)["Map"]!;
        map = map.SetItem("InputPath", new JsonString("$"));
        var definition = new JsonObjectBuilder().Set("StartAt", "Map")
            .Set("States", new JsonObjectBuilder().Set("Map", map).Build()).Build();
        return StateMachine.Parse(definition);
    }

    private static string FindSample()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "samples", "seed", "state-machine.asl.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException("samples/seed/state-machine.asl.json not found above " + AppContext.BaseDirectory);
    }

    private static JsonObject Orders(int count, int invalidEvery)
    {
        var orders = new JsonValue[count];
        for (var i = 0; i < count; i++)
        {
            var id = (i + 1).ToString(CultureInfo.InvariantCulture);
            var info = new JsonObjectBuilder(4).Set("OrderId", id).Set("item-id", "10" + (i % 10)).Set("item-desc", "Item").Set("qty", ((i % 5) + 1).ToString(CultureInfo.InvariantCulture)).Build();
            var order = new JsonObjectBuilder(2).Set("order-info", info);
            if (i % invalidEvery != invalidEvery - 1)
            {
                order.Set("contact-info", new JsonObjectBuilder(2).Set("name", "Customer " + id).Set("email", $"c{id}@example.com").Build());
            }
            orders[i] = order.Build();
        }
        return new JsonObjectBuilder(1).Set("orders", new JsonArray(orders)).Build();
    }

    private static long PeakRssMiB()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
            }
        }
        return -1;
    }
}
