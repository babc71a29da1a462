using System.Diagnostics;
using System.Globalization;

namespace OrderFlow.Bench;

/// <summary>
/// <c>orderflow process</c> end to end, as a user runs it: a JSON Lines file of N orders from <c>orderflow generate</c> (10% invalid, every defect kind), a fresh
/// data directory, durable storage. Reports orders/s and the command's peak resident memory.
/// </summary>
internal static class ProcessBenchmarks
{
    public static async Task RunAsync(int orders)
    {
        var dir = Path.Combine(Path.GetTempPath(), "orderflow-process-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var file = Path.Combine(dir, "orders.jsonl");
            var cli = Path.Combine(AppContext.BaseDirectory, "orderflow.dll");
            using (var generate = Process.Start("dotnet", [cli, "generate", "--orders", orders.ToString(CultureInfo.InvariantCulture), "--invalid-rate", "0.1", "--seed", "1", "--out", file]))
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
            long peak = 0;
            while (!process.HasExited)
            {
                peak = Math.Max(peak, PeakRssMiB(process.Id));
                await Task.Delay(100);
            }
            stopwatch.Stop();
            Console.WriteLine($"process: {orders:N0} orders (JSON Lines, 10% invalid) in {stopwatch.Elapsed.TotalSeconds:F1} s = {orders / stopwatch.Elapsed.TotalSeconds:N0} orders/s end to end (including start-up); peak RSS {peak:N0} MiB");
            Console.WriteLine($"  summary: {(await output).Trim()}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static long PeakRssMiB(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
                }
            }
        }
        catch (IOException)
        {
            // the process has just exited
        }
        return 0;
    }
}
