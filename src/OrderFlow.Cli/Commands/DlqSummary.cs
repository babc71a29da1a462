using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using OrderFlow.Json;

namespace OrderFlow.Cli.Commands;

/// <summary>
/// <c>orderflow dlq summary</c>: why the orders in the queue were rejected and where they came from, counted over the
/// whole queue (a page at a time, in bounded memory), where <c>dlq list</c> shows one message a line.
/// </summary>
internal static class DlqSummary
{
    public static Command Create()
    {
        var top = new Option<int>("--top") { Description = "Most reasons and files to show, the most frequent first. Default: 20.", DefaultValueFactory = _ => 20 };
        CliHost.Require(top, n => n >= 1, "--top must be at least 1.");
        var json = new Option<bool>("--json") { Description = "Print one JSON object: rejected, byError, byReason and byFile (each a list of {…, count}, the most frequent first)." };
        var dataDir = CliHost.DataDirOption();
        var filter = new DlqFilterOptions();
        var command = new Command("summary", "Count the rejected orders in the queue by reason, by file and by error. Reasons that differ only in the value they quote first are counted together (\"XYZ\" is not an ISO 4217 currency code → \"…\" is not …).")
        {
            top, json, dataDir,
        };
        filter.AddTo(command);
        var backend = new BackendOptions();
        backend.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            await using var cloud = backend.Open(parse, parse.GetValue(dataDir));
            var only = filter.Read(parse);
            var tally = new RejectionTally();
            // A million rejections take seconds to read: on a terminal, a bar counts them (SQS gives no exact count).
            var read = 0L;
            long? total = cloud.IsRemote ? null : Sum(cloud.Queues.CountMessages(PipelineSetup.RejectedQueue));
            await using var queue = new RejectedQueue(cloud);
            bool completed;
            try
            {
                completed = await CliProgress.RunAsync("rejected orders read", total, async progress =>
                {
                    using var poll = CliProgress.Poll(progress, () => Interlocked.Read(ref read));
                    await foreach (var message in queue.ReadAsync(1000, ct))
                    {
                        if (ct.IsCancellationRequested)
                        {
                            return false;
                        }
                        var rejected = new RejectedMessage(message);
                        if (only.Matches(rejected))
                        {
                            tally.Add(rejected);
                        }
                        Interlocked.Increment(ref read);
                    }
                    return true;
                });
            }
            catch (RejectedQueueException ex)
            {
                return await DlqCommands.CannotReadAsync(ex);
            }
            if (!completed)
            {
                return CliHost.Interrupted;
            }
            await Console.Out.WriteLineAsync(parse.GetValue(json) ? tally.ToJson(parse.GetValue(top)).ToJsonString() : tally.ToText(parse.GetValue(top)));
            return CliHost.Ok;
        });
        return command;
    }

    private static long Sum((long Visible, long InFlight) counts) => counts.Visible + counts.InFlight;
}

/// <summary>
/// Rejected orders counted by error, by reason and by file. A reason is its <c>path: message</c>, the quoted value a message
/// opens with replaced by <c>"…"</c>, so that one rule broken by many values is one line. At most <see cref="MaxGroups"/> distinct
/// reasons and files are kept, so that hostile input cannot grow it without bound; the rest are counted as others.
/// </summary>
internal sealed partial class RejectionTally
{
    public const int MaxGroups = 10_000;

    private const string NoFile = "(no file)";

    private readonly Counts _errors = new();
    private readonly Counts _reasons = new();
    private readonly Counts _files = new();

    /// <summary>Rejected orders counted.</summary>
    public long Total { get; private set; }

    public void Add(RejectedMessage message)
    {
        Total++;
        _errors.Add(message.Error ?? "(not a pipeline message)");
        _files.Add(message.Key ?? NoFile);
        // An order counts once for each distinct reason it has, however often its message repeats one.
        foreach (var reason in message.ReasonParts.Select(r => $"{r.Path}: {Grouped(r.Message ?? string.Empty)}").Distinct(StringComparer.Ordinal))
        {
            _reasons.Add(reason);
        }
    }

    /// <summary>
    /// A reason's message with the value it opens with made one: <c>"XYZ" is not …</c> → <c>"…" is not …</c>. (The
    /// validator quotes the offending value first; a quote further on is part of the rule's wording.)
    /// </summary>
    public static string Grouped(string message) => LeadingQuotedValue().Replace(message, "\"…\"", 1);

    [GeneratedRegex("^\"(?:[^\"\\\\]|\\\\.)*\"", RegexOptions.CultureInvariant)]
    private static partial Regex LeadingQuotedValue();

    public string ToText(int top)
    {
        var text = new System.Text.StringBuilder();
        var files = _files.Distinct - (_files.Has(NoFile) ? 1 : 0);
        text.Append(CultureInfo.InvariantCulture, $"{Total:N0} rejected order(s) in the queue {PipelineSetup.RejectedQueue}, from {files:N0} file(s){(_files.Others > 0 ? " or more" : string.Empty)}\n");
        if (Total == 0)
        {
            return text.ToString().TrimEnd('\n');
        }
        Section(text, "by reason (an order may have several):", _reasons, top, "reasons");
        Section(text, "by file:", _files, top, "files");
        Section(text, "by error:", _errors, top, "errors");
        return text.ToString().TrimEnd('\n');
    }

    public JsonObject ToJson(int top) => new JsonObjectBuilder(4)
        .Set("rejected", Total)
        .Set("byError", _errors.ToJson("error", top))
        .Set("byReason", _reasons.ToJson("reason", top))
        .Set("byFile", _files.ToJson("file", top))
        .Build();

    private static void Section(System.Text.StringBuilder text, string title, Counts counts, int top, string what)
    {
        text.Append(title).Append('\n');
        var shown = counts.Top(top);
        var width = shown.Count == 0 ? 1 : shown.Max(c => c.Count.ToString("N0", CultureInfo.InvariantCulture).Length);
        foreach (var (name, count) in shown)
        {
            text.Append("  ").Append(count.ToString("N0", CultureInfo.InvariantCulture).PadLeft(width)).Append("  ").Append(CliText.OneLine(name)).Append('\n');
        }
        var left = counts.Distinct - shown.Count;
        if (left > 0 || counts.Others > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"  ({(left > 0 ? $"{left:N0} more {what}: raise --top" : string.Empty)}{(left > 0 && counts.Others > 0 ? "; " : string.Empty)}{(counts.Others > 0 ? $"{counts.Others:N0} more past the first {MaxGroups:N0} {what}" : string.Empty)})\n");
        }
    }

    /// <summary>Counts by name, at most <see cref="MaxGroups"/> names; the counts of further names are summed in <see cref="Others"/>.</summary>
    private sealed class Counts
    {
        private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

        public long Others { get; private set; }

        public int Distinct => _counts.Count;

        public bool Has(string name) => _counts.ContainsKey(name);

        public void Add(string name)
        {
            if (_counts.TryGetValue(name, out var count))
            {
                _counts[name] = count + 1;
            }
            else if (_counts.Count < MaxGroups)
            {
                _counts[name] = 1;
            }
            else
            {
                Others++;
            }
        }

        public List<(string Name, long Count)> Top(int n) =>
            [.. _counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Take(n).Select(c => (c.Key, c.Value))];

        public JsonArray ToJson(string key, int top) => new([.. Top(top).Select(c => (JsonValue)new JsonObjectBuilder(2).Set(key, c.Name).Set("count", c.Count).Build())]);
    }
}
