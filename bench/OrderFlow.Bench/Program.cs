using System.Diagnostics;
using OrderFlow.Bench;

// OrderFlow engine benchmarks. Each scenario prints its figures; see docs/performance.md for recorded results.
//   dotnet run -c Release --project bench/OrderFlow.Bench -- [transitions|map|map-memory|events|local|distributed|validate|process|all] [--items N] [--megabytes N] [--orders N] [--random-ids]
//   process only: [--runs N] (repeat, give the median) [--baseline DIR] (alternate with another build's output folder)
var scenario = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
var items = ReadOption(args, "--items", 1_000_000);

Console.WriteLine($"OrderFlow.Bench on {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}");
switch (scenario)
{
    case "transitions":
        await EngineBenchmarks.PassChainAsync();
        break;
    case "map":
        await EngineBenchmarks.SeedItemWorkflowAsync(200_000);
        break;
    case "events":
        EventBenchmarks.Run();
        break;
    case "local":
        await LocalBenchmarks.RunAsync();
        break;
    case "process":
        await ProcessBenchmarks.RunAsync(ReadOption(args, "--orders", 1_000_000), args.Contains("--random-ids"), Math.Max(1, ReadOption(args, "--runs", 1)), ReadText(args, "--baseline"));
        break;
    case "validate":
        await ValidateBenchmarks.RunAsync(ReadOption(args, "--orders", 100_000));
        break;
    case "distributed":
        await DistributedBenchmarks.RunAsync(ReadOption(args, "--megabytes", 1000) * 1_000_000L);
        break;
    case "map-memory":
        await EngineBenchmarks.InlineMapMemoryAsync(items);
        break;
    case "all":
        await EngineBenchmarks.PassChainAsync();
        await EngineBenchmarks.SeedItemWorkflowAsync(200_000);
        EventBenchmarks.Run();
        await LocalBenchmarks.RunAsync();
        // Peak memory needs a fresh process: run the scenario as a child.
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(EngineBenchmarks).Assembly.Location);
        }
        start.ArgumentList.Add("map-memory");
        start.ArgumentList.Add("--items");
        start.ArgumentList.Add(items.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using (var child = Process.Start(start)!)
        {
            await child.WaitForExitAsync();
        }
        break;
    default:
        Console.Error.WriteLine($"Unknown scenario '{scenario}'. Use transitions, map, map-memory, events, local, distributed, validate, process or all.");
        return 2;
}
return 0;

static string? ReadText(string[] args, string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static int ReadOption(string[] args, string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
}
