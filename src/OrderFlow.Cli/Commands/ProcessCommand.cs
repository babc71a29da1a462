using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using OrderFlow.Events.S3;
using OrderFlow.Json;
using OrderFlow.Local;
using OrderFlow.Orders;
using OrderFlow.States.Distributed;
using OrderFlow.States.Execution;

namespace OrderFlow.Cli.Commands;

/// <summary>
/// <c>orderflow process FILE...</c>: OrderFlow's main job. Each file goes into the inbox bucket; its event starts the
/// order pipeline; the command waits and prints what happened to every order.
/// </summary>
internal static class ProcessCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = "Order files: .json (an array, or {\"orders\":[...]}), .jsonl/.ndjson or .csv.", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: orders, stored, duplicates, rejected, rejectedByReason, failed, files, durationSeconds, ordersPerSecond; when interrupted, also interrupted (true) and ordersHandled." };
        var dataDir = CliHost.DataDirOption();
        var backend = new BackendOptions();
        var command = new Command("process", "Process order files through the pipeline (embedded services by default) and print a summary.") { files, json, dataDir };
        backend.AddTo(command);
        CliSuggestions.RefuseOptionLikeArguments(command, files);
        command.SetAction(async (parse, ct) => await RunAsync(parse.GetValue(files)!, parse.GetValue(json), counter => backend.Open(parse, parse.GetValue(dataDir), counter), ct));
        return command;
    }

    private static async Task<int> RunAsync(string[] files, bool json, Func<ChildCounter, LocalCloud> open, CancellationToken cancellationToken)
    {
        foreach (var missing in files.Where(f => !File.Exists(f)))
        {
            await Console.Error.WriteLineAsync(Directory.Exists(missing)
                ? $"{missing} is a folder: give its files (orderflow process {Path.Combine(missing, "*.jsonl")}), or ingest it with orderflow watch {missing}"
                : $"The file does not exist: {missing}");
            return CliHost.Invalid;
        }
        // The first file is checked while the embedded services open and the pipeline is set up (both mostly one core).
        var firstCheck = Task.Run(() => OrderFileCheck.InspectAsync(files[0], cancellationToken), cancellationToken);
        var counter = new ChildCounter();
        await using var cloud = open(counter);
        try
        {
            await PipelineSetup.EnsureAsync(cloud, cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return CliHost.Failed;
        }
        var tally = new Tally();
        var stopwatch = Stopwatch.StartNew();
        var current = 0;
        // Ctrl-C or SIGTERM stops the executions gently: the batches in flight finish (what one stored, it also recorded),
        // no more start, and each execution ends ABORTED; then the command says how far it got.
        using var stopping = cancellationToken.Register(cloud.StopExecutions);
        try
        {
            // One file: the bar knows how many orders it holds (the check counted them), so it shows how far and how long.
            var total = files.Length == 1 && CliProgress.Enabled ? (await firstCheck).Orders : null;
            await CliProgress.RunAsync("orders processed", total, async progress =>
            {
                using var poll = CliProgress.Poll(progress, () => counter.Completed);
                for (; current < files.Length; current++)
                {
                    await ProcessFileAsync(cloud, files[current], Path.GetFileName(files[current]), tally, cancellationToken, current == 0 ? firstCheck : null);
                }
                return true;
            });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            stopwatch.Stop();
            if (json)
            {
                // A script still gets its one object: the finished files counted, the interrupted one's orders in ordersHandled.
                tally.Interrupted(current < files.Length ? files[current] : null, counter.Completed);
                await Console.Out.WriteLineAsync(tally.Summary(stopwatch.Elapsed).ToJsonString());
            }
            await Console.Error.WriteLineAsync(Interrupted(files, current, counter.Completed));
            return CliHost.Interrupted;
        }
        stopwatch.Stop();
        var summary = tally.Summary(stopwatch.Elapsed);
        await Console.Out.WriteLineAsync(json ? summary.ToJsonString() : tally.Describe(stopwatch.Elapsed, cloud.IsRemote));
        if (cloud.StorageFault.First is { } storage)
        {
            await Console.Error.WriteLineAsync(StorageAdvice(cloud, storage, $"run it again: orderflow process {string.Join(' ', files.Select(Quoted))}"));
        }
        return tally.Failed > 0 || tally.FailedFiles > 0 ? CliHost.Failed : CliHost.Ok;
    }

    /// <summary>A file name as a shell command line takes it.</summary>
    internal static string Quoted(string file) => file.Contains(' ', StringComparison.Ordinal) ? $"\"{file}\"" : file;

    /// <summary>What to do after the data directory's storage failed (the disk full): every execution was stopped at once.</summary>
    internal static string StorageAdvice(LocalCloud cloud, Exception failure, string again) =>
        $"The data directory {cloud.DataDirectory} could not be written ({failure.Message.TrimEnd('.')}), so processing stopped. "
        + $"Once there is room (orderflow s3 rm removes processed files' copies), {again}: orders already stored count as duplicates, nothing is stored twice.";

    // What an interrupted run did and how to finish it: the batches in flight were let finish, so every order counted
    // was stored or rejected whole, and a second run stores none of them twice (insert-only; sent rejections are recorded).
    private static string Interrupted(string[] files, int current, long handled)
    {
        var rest = string.Join(' ', files.Skip(current).Select(Quoted));
        var done = handled == 0
            ? "interrupted before any order was handled: nothing is stored."
            : $"interrupted after {handled:N0} order(s){(current > 0 ? $" ({current} of {files.Length} file(s) finished)" : string.Empty)}, "
                + "each stored or rejected; the interrupted execution is stored as ABORTED.";
        return done + Environment.NewLine + $"To finish, run it again: orderflow process {rest} (orders already stored count as duplicates: nothing is stored twice)";
    }

    /// <summary>Puts one file into the inbox under <paramref name="key"/>, waits for the executions its event starts, and counts their outcomes.</summary>
    /// <remarks>
    /// A file the pipeline could not read to its end is refused before it enters the bucket (<see cref="OrderFileCheck"/>).
    /// <paramref name="cancellationToken"/> cancels the check and keeps the file out of the bucket; once it is in, its
    /// executions run to their end (<see cref="LocalCloud.StopExecutions"/> stops them gently).
    /// </remarks>
    /// <param name="check">The file's check, when it was started earlier; otherwise it is checked here.</param>
    public static async Task ProcessFileAsync(LocalCloud cloud, string file, string key, Tally tally, CancellationToken cancellationToken,
        Task<OrderFileReport>? check = null)
    {
        if ((await (check ?? OrderFileCheck.InspectAsync(file, cancellationToken))).Fault is { } fault)
        {
            tally.FileRefused(file, $"{fault.Error}: {fault.Message}");
            return;
        }
        cancellationToken.ThrowIfCancellationRequested();
        await using (var content = File.OpenRead(file))
        {
            if (await cloud.ObjectStore.WriteAsync(PipelineSetup.InboxBucket, key, content, CancellationToken.None) is { } error)
            {
                tally.FileRefused(file, error);
                return;
            }
        }
        foreach (var execution in cloud.TakeStartedExecutions())
        {
            var result = await execution;
            if (result.Failed)
            {
                tally.FileFailed(file, null, $"{result.Error!.Code}: {result.Error.Message}");
            }
            else if (result.Value.Status != ExecutionStatus.Succeeded)
            {
                var failure = $"{result.Value.Error?.Error}: {result.Value.Error?.Cause}";
                // The pipeline's own refusals (OrderFile.Unsupported, OrderFile.Empty) come before its first order.
                if (result.Value.Error?.Error.StartsWith("OrderFile.", StringComparison.Ordinal) == true)
                {
                    tally.FileRefused(file, failure, result.Value.Name);
                }
                else
                {
                    tally.FileFailed(file, result.Value.Name, failure);
                }
            }
            else
            {
                var error = await ResultTally.AddAsync(cloud, result.Value, tally, CancellationToken.None);
                tally.FileDone(file, result.Value.Name, error);
            }
        }
    }
}
