using System.Diagnostics;
using System.Globalization;

namespace OrderFlow.Bench;

/// <summary>
/// <c>orderflow process</c> end to end, as a user runs it: a JSON Lines file of N orders from <c>orderflow generate</c> (10% invalid, every defect kind), a fresh
/// data directory, durable storage. Reports orders/s, CPU time, the machine's idle core-seconds during the run and the
/// command's peak resident memory; then the sales analysis of the stored orders (a full scan of the table). With <c>--random-ids</c> the OrderIds are random (as shops keyed by UUIDs have)
/// instead of a running number.
/// </summary>
/// <remarks>
/// On a shared virtual machine the same build's time varies by 15% from one run to the next, and more from one hour to
/// the next. <c>--runs N</c> repeats the run and gives the median; <c>--baseline DIR</c> (another build's output folder,
/// holding its <c>orderflow.dll</c>) runs the two builds alternately, round after round, the first of each round
/// swapped every round, and says in how many rounds this one was faster: the way to tell a change of a few percent from
/// the machine's drift.
/// </remarks>
internal static class ProcessBenchmarks
{
    private sealed record Run(double Seconds, double CpuSeconds, double IdleCoreSeconds, long PeakMiB, long WrittenBytes, string Summary);

    public static async Task RunAsync(int orders, bool randomIds = false, int runs = 1, string? baseline = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "orderflow-process-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var file = Path.Combine(dir, "orders.jsonl");
            var cli = Path.Combine(AppContext.BaseDirectory, "orderflow.dll");
            string[] generateArgs = [cli, "generate", "--orders", orders.ToString(CultureInfo.InvariantCulture), "--invalid-rate", "0.1", "--seed", "1", "--out", file];
            using (var generate = Process.Start("dotnet", randomIds ? [.. generateArgs, "--random-ids"] : generateArgs))
            {
                await generate.WaitForExitAsync();
                if (generate.ExitCode != 0)
                {
                    throw new InvalidOperationException("orderflow generate failed");
                }
            }
            var builds = new List<(string Name, string Cli)> { ("this build", cli) };
            if (baseline is not null)
            {
                var other = Directory.Exists(baseline) ? Path.Combine(baseline, "orderflow.dll") : baseline;
                if (!File.Exists(other))
                {
                    throw new FileNotFoundException($"No orderflow.dll to compare with at {baseline}", other);
                }
                builds.Add(("baseline", Path.GetFullPath(other)));
            }
            var results = builds.Select(_ => new List<Run>()).ToList();
            var label = $"{orders:N0} orders (JSON Lines, 10% invalid{(randomIds ? ", random OrderIds" : string.Empty)})";
            for (var round = 1; round <= runs; round++)
            {
                // Which build goes first changes every round (A B, B A, A B, ...): on this machine the second run of a
                // pair was the faster one more often than chance (6 of 8 and 7 of 8 rounds of one build against itself).
                foreach (var b in RoundOrder(round, builds.Count))
                {
                    var run = await RunOnceAsync(builds[b].Cli, file, Path.Combine(dir, "data"));
                    results[b].Add(run);
                    var who = builds.Count > 1 ? $" [{builds[b].Name}]" : string.Empty;
                    var at = runs > 1 ? $" (run {round} of {runs})" : string.Empty;
                    Console.WriteLine($"process{who}{at}: {label} in {run.Seconds:F1} s = {orders / run.Seconds:N0} orders/s end to end (including start-up); CPU {run.CpuSeconds:F1} s = {run.CpuSeconds * 1e6 / orders:F1} µs per order; cores idle {run.IdleCoreSeconds:F1} core-s; peak RSS {run.PeakMiB:N0} MiB; at least {run.WrittenBytes / 1_000_000:N0} MB written to disk");
                    if (round == 1)
                    {
                        Console.WriteLine($"  summary: {run.Summary}");
                    }
                }
            }
            if (runs > 1)
            {
                for (var b = 0; b < builds.Count; b++)
                {
                    var rates = results[b].Select(r => orders / r.Seconds).Order().ToList();
                    Console.WriteLine($"{builds[b].Name}: median {Median(rates):N0} orders/s over {runs} runs (from {rates[0]:N0} to {rates[^1]:N0}); median CPU {Median(results[b].Select(r => r.CpuSeconds * 1e6 / orders)):F1} µs per order; highest peak RSS {results[b].Max(r => r.PeakMiB):N0} MiB");
                }
            }
            await SalesAsync(cli, Path.Combine(dir, "data"));
            if (builds.Count > 1)
            {
                var ratios = results[0].Zip(results[1], (mine, theirs) => mine.Seconds / theirs.Seconds).ToList();
                Console.WriteLine($"this build against the baseline: faster in {ratios.Count(r => r < 1)} of {ratios.Count} rounds; median time ratio {Median(ratios):F3} ({(Median(ratios) - 1) * 100:+0.0;-0.0}%)");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The builds' indexes in the order round <paramref name="round"/> (from 1) runs them: reversed every other round.</summary>
    private static IEnumerable<int> RoundOrder(int round, int builds) =>
        round % 2 == 1 ? Enumerable.Range(0, builds) : Enumerable.Range(0, builds).Reverse();

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>One <c>orderflow process</c> of <paramref name="file"/> with <paramref name="cli"/>, into a fresh data directory.</summary>
    private static async Task<Run> RunOnceAsync(string cli, string file, string dataDir)
    {
        if (Directory.Exists(dataDir))
        {
            Directory.Delete(dataDir, recursive: true);
        }
        return await MeasureAsync(cli, "process", file, "--json", "--data-dir", dataDir);
    }

    /// <summary>
    /// <c>orderflow sales --by month --json</c> over the orders the last run stored: the analysis reads the whole orders
    /// table page by page, so its time and memory are those of a full scan.
    /// </summary>
    private static async Task SalesAsync(string cli, string dataDir)
    {
        var run = await MeasureAsync(cli, "sales", "--by", "month", "--json", "--data-dir", dataDir);
        var read = run.Summary.Split("\"read\":", 2) is [_, var rest] ? long.Parse(rest[..rest.IndexOf(',', StringComparison.Ordinal)], CultureInfo.InvariantCulture) : 0;
        Console.WriteLine($"sales --by month: {read:N0} stored orders read in {run.Seconds:F1} s = {read / run.Seconds:N0} orders/s (including start-up); CPU {run.CpuSeconds:F1} s; peak RSS {run.PeakMiB:N0} MiB");
    }

    /// <summary>Runs <c>orderflow ARGS</c> with <paramref name="cli"/> and measures it; throws when it fails.</summary>
    private static async Task<Run> MeasureAsync(string cli, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in (string[])[cli, .. args])
        {
            start.ArgumentList.Add(arg);
        }
        var idleBefore = IdleTicks();
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        long peak = 0, written = 0, cpuTicks = 0;
        while (!process.HasExited)
        {
            peak = Math.Max(peak, ProcStatus(process.Id, "status", "VmHWM:") / 1024);
            written = Math.Max(written, ProcStatus(process.Id, "io", "write_bytes:"));
            cpuTicks = Math.Max(cpuTicks, CpuTicks(process.Id));
            await Task.Delay(100);
        }
        stopwatch.Stop();
        var idle = (IdleTicks() - idleBefore) / 100.0;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            // A run that failed would report a throughput it never had.
            throw new InvalidOperationException($"orderflow {args[0]} exited with {process.ExitCode}: {(await output).Trim()}");
        }
        // CPU time tells work from waiting (a run that waits on the disk takes longer without more CPU); sampled
        // every 100 ms, so the last tenth of a second may be missing.
        return new Run(stopwatch.Elapsed.TotalSeconds, cpuTicks / 100.0, idle, peak, written, (await output).Trim());
    }

    /// <summary>The machine's idle and I/O-wait time over all cores so far, in clock ticks (1/100 s), from <c>/proc/stat</c>; 0 where there is none.</summary>
    private static long IdleTicks()
    {
        try
        {
            var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return long.Parse(cpu[4], CultureInfo.InvariantCulture) + long.Parse(cpu[5], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>User plus system CPU time of the process so far, in clock ticks (1/100 s on Linux), 0 once it is gone.</summary>
    private static long CpuTicks(int pid)
    {
        try
        {
            // Fields 14 and 15 of /proc/PID/stat; the command name (field 2) may hold spaces, so count from its ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0; // the process has just exited
        }
    }

    /// <summary>A number from a line of <c>/proc/PID/FILE</c> (VmHWM in KiB, write_bytes in bytes), 0 once the process is gone.</summary>
    private static long ProcStatus(int pid, string file, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/{file}"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // the process has just exited
        }
        return 0;
    }
}
