using System.CommandLine;
using System.Globalization;
using System.Threading.Channels;
using OrderFlow.Local;
using OrderFlow.Orders;
using OrderFlow.States.Distributed;

namespace OrderFlow.Cli.Commands;

/// <summary>
/// <c>orderflow watch [DIR]</c>: an inbox folder, event-driven. Files already there are ingested first, then each new
/// file as it lands (once it has stopped growing). Processed files are remembered in the data directory, so a
/// restart resumes where it stopped; Ctrl-C finishes the file in progress and stops.
/// </summary>
internal static class WatchCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("dir") { Description = "The inbox folder. Default: ./inbox.", DefaultValueFactory = _ => "inbox" };
        var dataDir = CliHost.DataDirOption();
        var maxFiles = new Option<int?>("--max-files") { Description = "Stop after processing this many files (default: run until Ctrl-C)." };
        var backend = new BackendOptions();
        var command = new Command("watch", "Watch an inbox folder and process every order file dropped into it, including those already there.") { folder, dataDir, maxFiles };
        backend.AddTo(command);
        command.SetAction(async (parse, ct) => await RunAsync(parse.GetValue(folder)!, counter => backend.Open(parse, parse.GetValue(dataDir), counter), parse.GetValue(maxFiles), ct));
        return command;
    }

    private static async Task<int> RunAsync(string folder, Func<ChildCounter, LocalCloud> open, int? maxFiles, CancellationToken stop)
    {
        var inbox = Path.GetFullPath(folder);
        Directory.CreateDirectory(inbox);
        var counter = new ChildCounter();
        await using var cloud = open(counter);
        using var watching = TryLock(cloud.DataDirectory);
        if (watching is null)
        {
            await Console.Error.WriteLineAsync($"Another orderflow watch is already running on {cloud.DataDirectory}: stop it first (one watcher per data directory, or each would process every new file).");
            return CliHost.Invalid;
        }
        await PipelineSetup.EnsureAsync(cloud, CancellationToken.None);
        var journal = Path.Combine(cloud.DataDirectory, "watched-files.log");
        var done = File.Exists(journal) ? File.ReadAllLines(journal).ToHashSet(StringComparer.Ordinal) : [];
        var arrivals = Channel.CreateUnbounded<string>();
        using var watcher = new FileSystemWatcher(inbox) { IncludeSubdirectories = false, EnableRaisingEvents = true };
        watcher.Created += (_, e) => arrivals.Writer.TryWrite(e.FullPath);
        watcher.Renamed += (_, e) => arrivals.Writer.TryWrite(e.FullPath);
        foreach (var existing in Directory.EnumerateFiles(inbox).Order(StringComparer.Ordinal))
        {
            arrivals.Writer.TryWrite(existing);
        }
        await Console.Out.WriteLineAsync($"watching {inbox} (Ctrl-C to stop); data in {cloud.DataDirectory}");
        var processed = 0;
        var failures = 0;
        try
        {
            await foreach (var path in arrivals.Reader.ReadAllAsync(stop))
            {
                if (!IsOrderFile(path) || !await LandedFile.SettledAsync(path, TimeProvider.System, stop))
                {
                    continue;
                }
                var info = new FileInfo(path);
                var identity = $"{info.FullName}|{info.Length}|{info.LastWriteTimeUtc.Ticks}";
                if (!done.Add(identity))
                {
                    continue;
                }
                var tally = new Tally();
                // A file in progress is finished even when Ctrl-C arrives: its orders are never left half-counted. On a
                // terminal a bar counts its orders as they are handled.
                var before = counter.Completed;
                var inspection = await OrderFileCheck.InspectAsync(path, CancellationToken.None);
                await CliProgress.RunAsync($"{info.Name}: orders processed", inspection.Orders, async progress =>
                {
                    using var poll = CliProgress.Poll(progress, () => counter.Completed - before);
                    await ProcessCommand.ProcessFileAsync(cloud, path, $"watch/{info.Name}", tally, CancellationToken.None, Task.FromResult(inspection));
                    return true;
                });
                if (cloud.StorageFault.First is { } storage)
                {
                    // Not journaled: once there is room, the next watch processes the file again.
                    await Console.Error.WriteLineAsync(ProcessCommand.StorageAdvice(cloud, storage, "start watch again (it processes this file again)"));
                    return CliHost.Failed;
                }
                await File.AppendAllLinesAsync(journal, [identity], CancellationToken.None);
                failures += tally.FailedFiles;
                await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{info.Name}: orders {tally.Orders:N0}, stored {tally.Stored:N0}, duplicates {tally.Duplicates:N0}, rejected {tally.Rejected:N0}")
                    + (tally.FirstError is { } error ? $", FAILED {error}" : string.Empty)
                    + (tally.Rejected > 0 ? $" (why: orderflow dlq list --file {ProcessCommand.Quoted(info.Name)}{(cloud.IsRemote ? " with the same --backend aws options" : string.Empty)})" : string.Empty));
                if (maxFiles is { } max && ++processed >= max)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            await Console.Out.WriteLineAsync("stopped");
        }
        return failures > 0 ? CliHost.Failed : CliHost.Ok;
    }

    // Held open, unshared, while the watcher runs; the system lets it go when the process ends, however it ends.
    private static FileStream? TryLock(string dataDirectory)
    {
        try
        {
            var stream = new FileStream(Path.Combine(dataDirectory, "watch.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            var pid = System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");
            stream.Write(pid);
            stream.Flush();
            return stream;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static bool IsOrderFile(string path)
    {
        var name = Path.GetFileName(path);
        return !name.StartsWith('.') && !name.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase) && !name.EndsWith(".part", StringComparison.OrdinalIgnoreCase);
    }
}
