using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace OrderFlow.Bench;

/// <summary>
/// <c>orderflow process</c> end to end, as a user runs it: a generated JSON Lines file of N orders (10% invalid), a fresh
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
            await using (var writer = new StreamWriter(file, false, new UTF8Encoding(false), 1 << 20))
            {
                for (var i = 1; i <= orders; i++)
                {
                    var contact = i % 10 == 0 ? string.Empty : $",\"contact-info\":{{\"name\":\"Customer {i}\",\"email\":\"customer{i}@example.com\",\"country\":\"DE\"}}";
                    await writer.WriteLineAsync($"{{\"order-info\":{{\"OrderId\":\"B-{i}\",\"item-id\":\"{100 + (i % 50)}\",\"qty\":\"{1 + (i % 5)}\",\"unit-price\":\"{9 + (i % 90)}.99\",\"currency\":\"EUR\",\"status\":\"paid\"}}{contact}}}");
                }
            }
            var cli = Path.Combine(AppContext.BaseDirectory, "orderflow.dll");
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
