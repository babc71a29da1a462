using System.Diagnostics;
using System.Globalization;

namespace OrderFlow.Bench;

/// <summary>
/// <c>orderflow process</c> end to end, as a user runs it: a JSON Lines file of N orders from <c>orderflow generate</c> (10% invalid, every defect kind), a fresh
/// data directory, durable storage. Reports orders/s and the command's peak resident memory. With <c>--random-ids</c>
/// the OrderIds are random (as shops keyed by UUIDs have) instead of a running number.
/// </summary>
internal static class ProcessBenchmarks
{
    public static async Task RunAsync(int orders, bool randomIds = false)
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
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var arg in new[] { cli, "process", file, "--json", "--data-dir", Path.Combine(dir, "data") })
            {
                start.ArgumentList.Add(arg);
            }
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
            // CPU time tells work from waiting (a run that waits on the disk takes longer without more CPU); sampled
            // every 100 ms, so the last tenth of a second may be missing.
            var cpuSeconds = cpuTicks / 100.0;
            Console.WriteLine($"process: {orders:N0} orders (JSON Lines, 10% invalid{(randomIds ? ", random OrderIds" : string.Empty)}) in {stopwatch.Elapsed.TotalSeconds:F1} s = {orders / stopwatch.Elapsed.TotalSeconds:N0} orders/s end to end (including start-up); CPU {cpuSeconds:F1} s = {cpuSeconds * 1e6 / orders:F1} µs per order; peak RSS {peak:N0} MiB; at least {written / 1_000_000:N0} MB written to disk");
            Console.WriteLine($"  summary: {(await output).Trim()}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
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
