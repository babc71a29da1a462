using System.Globalization;
using OrderFlow.Json;

namespace OrderFlow.Cli.Commands;

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

    /// <summary>Orders stored or rejected by the files finished and the interrupted one; set when interrupted.</summary>
    private long? _ordersHandled;

    /// <summary>
    /// An interrupt stopped the run, in <paramref name="file"/> when one was in progress: its execution ended ABORTED (or
    /// never started). The batches it had in flight finished, but an aborted execution writes no results, so its orders
    /// are in <paramref name="handled"/> (every order stored or rejected so far, the finished files' too), not in the
    /// counts by outcome.
    /// </summary>
    public void Interrupted(string? file, long handled)
    {
        _ordersHandled = Math.Max(handled, Orders);
        if (file is not null)
        {
            _files.Add(new JsonObjectBuilder(3).Set("file", file).Set("status", "ABORTED")
                .Set("ordersHandled", Math.Max(0, handled - Orders)).Build());
        }
    }

    public JsonObject Summary(TimeSpan duration)
    {
        var summary = new JsonObjectBuilder(12)
            .Set("orders", Orders)
            .Set("stored", Stored)
            .Set("duplicates", Duplicates)
            .Set("rejected", Rejected)
            .Set("rejectedByReason", JsonObject.Create(_rejectedByReason.Select(r => new KeyValuePair<string, JsonValue>(r.Key, JsonNumber.FromInt64(r.Value)))))
            .Set("failed", Failed)
            .Set("files", new JsonArray([.. _files]))
            .Set("durationSeconds", JsonNumber.FromDouble(Math.Round(duration.TotalSeconds, 3)))
            // An interrupted run's rate counts every order it handled, the interrupted file's too.
            .Set("ordersPerSecond", JsonNumber.FromDouble(Math.Round((_ordersHandled ?? Orders) / Math.Max(duration.TotalSeconds, 1e-6))));
        if (_ordersHandled is { } handled)
        {
            summary.Set("interrupted", true).Set("ordersHandled", handled);
        }
        return summary.Build();
    }

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
