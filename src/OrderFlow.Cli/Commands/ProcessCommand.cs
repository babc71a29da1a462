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
        var json = new Option<bool>("--json") { Description = "Print one JSON object: orders, stored, duplicates, rejected, rejectedByReason, failed, files, durationSeconds, ordersPerSecond." };
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

/// <summary>Counts what happened to the orders of the processed files.</summary>
/// <remarks>Shared by <c>process</c>, <c>watch</c> and <c>dlq redrive</c>.</remarks>
internal sealed class Tally
{
    private readonly List<JsonValue> _files = [];
    private readonly SortedDictionary<string, long> _rejectedByReason = new(StringComparer.Ordinal);

    public long Orders { get; private set; }

    public long Stored { get; private set; }

    public long Duplicates { get; private set; }

    public long Rejected { get; private set; }

    public long Failed { get; private set; }

    /// <summary>Files that failed, refused ones included.</summary>
    public int FailedFiles { get; private set; }

    /// <summary>Files refused before any of their orders was handled: by the file check, the bucket, or the pipeline's first states.</summary>
    public int RefusedFiles { get; private set; }

    public void Outcome(string outcome, string? reason)
    {
        Orders++;
        switch (outcome)
        {
            case "stored":
                Stored++;
                break;
            case "duplicate":
                Duplicates++;
                break;
            case "rejected":
                Rejected++;
                var key = reason ?? "unknown";
                _rejectedByReason[key] = _rejectedByReason.GetValueOrDefault(key) + 1;
                break;
            default:
                Failed++;
                break;
        }
    }

    /// <summary>A child execution failed: every order it had failed with it.</summary>
    public void ChildFailed(long orders = 1)
    {
        Orders += orders;
        Failed += orders;
    }

    /// <summary>Orders a batch stored together, in one transaction.</summary>
    public void StoredTogether(long orders)
    {
        Orders += orders;
        Stored += orders;
    }

    /// <summary>Orders of a batch found stored with the same content, together (one lookup for the batch).</summary>
    public void DuplicatesTogether(long orders)
    {
        Orders += orders;
        Duplicates += orders;
    }

    private readonly List<string> _errors = [];

    /// <summary>The first failed file's error, or null.</summary>
    public string? FirstError => _errors.Count > 0 ? _errors[0] : null;

    /// <summary>Why not every order was handled: each failed file's error, and the orders that failed; null when none.</summary>
    public string? Failure => FailedFiles == 0 && Failed == 0 ? null
        : string.Join("; ", _errors.Concat(Failed > 0 ? [string.Create(CultureInfo.InvariantCulture, $"{Failed:N0} order(s) failed")] : []));

    public void FileFailed(string file, string? execution, string error)
    {
        FailedFiles++;
        _errors.Add(error);
        _files.Add(new JsonObjectBuilder(4).Set("file", file).Set("execution", execution is null ? JsonValue.Null : new JsonString(execution))
            .Set("status", "FAILED").Set("error", error).Build());
    }

    /// <summary>A file none of whose orders was handled (malformed, unsupported, or the bucket would not take it).</summary>
    public void FileRefused(string file, string error, string? execution = null)
    {
        RefusedFiles++;
        FileFailed(file, execution, error);
    }

    public void FileDone(string file, string execution, string? error)
    {
        if (error is not null)
        {
            FileFailed(file, execution, error);
            return;
        }
        _files.Add(new JsonObjectBuilder(3).Set("file", file).Set("execution", execution).Set("status", "SUCCEEDED").Build());
    }

    public JsonObject Summary(TimeSpan duration) => new JsonObjectBuilder(10)
        .Set("orders", Orders)
        .Set("stored", Stored)
        .Set("duplicates", Duplicates)
        .Set("rejected", Rejected)
        .Set("rejectedByReason", JsonObject.Create(_rejectedByReason.Select(r => new KeyValuePair<string, JsonValue>(r.Key, JsonNumber.FromInt64(r.Value)))))
        .Set("failed", Failed)
        .Set("files", new JsonArray([.. _files]))
        .Set("durationSeconds", JsonNumber.FromDouble(Math.Round(duration.TotalSeconds, 3)))
        .Set("ordersPerSecond", JsonNumber.FromDouble(Math.Round(Orders / Math.Max(duration.TotalSeconds, 1e-6))))
        .Build();

    // What the counts leave out: refused files had none of their orders handled; a file whose execution failed may have
    // had some stored or rejected, which the next run of it counts as duplicates or already rejected.
    private string Uncounted()
    {
        var failed = FailedFiles - RefusedFiles;
        var parts = new List<string>(2);
        if (RefusedFiles > 0)
        {
            parts.Add($"the {RefusedFiles} refused file(s), none of whose orders was handled");
        }
        if (failed > 0)
        {
            parts.Add($"the {failed} failed file(s), whose outcomes are not known");
        }
        return parts.Count == 0 ? string.Empty : $" (not counting {string.Join(", nor ", parts)})";
    }

    /// <param name="remote">The queue is SQS: the dlq commands that read it need <c>--backend aws</c>.</param>
    public string Describe(TimeSpan duration, bool remote = false)
    {
        var lines = new List<string>();
        foreach (var file in _files.Cast<JsonObject>())
        {
            var status = ((JsonString)file["status"]!).Value;
            lines.Add(status == "SUCCEEDED"
                ? $"{((JsonString)file["file"]!).Value}: processed"
                : $"{((JsonString)file["file"]!).Value}: FAILED {((JsonString)file["error"]!).Value}");
        }
        var reasons = _rejectedByReason.Count == 0 ? string.Empty : " (" + string.Join(", ", _rejectedByReason.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key}: {r.Value:N0}"))) + ")";
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"orders {Orders:N0}, stored {Stored:N0}, duplicates {Duplicates:N0}, rejected {Rejected:N0}{reasons}{(Failed > 0 ? $", failed {Failed:N0}" : string.Empty)}")
            + Uncounted());
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"duration {duration.TotalSeconds:F2} s, {Orders / Math.Max(duration.TotalSeconds, 1e-6):N0} orders/s"));
        if (Rejected > 0)
        {
            lines.Add($"rejected orders are in the queue {Commands.PipelineSetup.RejectedQueue}, each with its reasons: orderflow dlq summary (counted by reason and file), dlq list (one a line) and dlq show ID"
                + (remote ? ", each with the same --backend aws options" : string.Empty));
        }
        return string.Join(Environment.NewLine, lines);
    }
}
