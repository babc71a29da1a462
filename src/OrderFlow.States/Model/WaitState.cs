using System.Globalization;
using OrderFlow.States.Execution;
using OrderFlow.Json;
using OrderFlow.States.Parsing;
using OrderFlow.States.Paths;

namespace OrderFlow.States.Model;

/// <summary>
/// A Wait state: waits a number of seconds or until a timestamp, fixed or read from the input
/// (https://states-language.net/spec.html#wait-state). Waits use the injected clock and the run's wait scale.
/// </summary>
public sealed class WaitState : State
{
    internal static readonly HashSet<string> Fields =
        ["Type", "Comment", "InputPath", "OutputPath", "Next", "End", "Assign", "Seconds", "Timestamp", "SecondsPath", "TimestampPath"];

    internal WaitState(FieldReader reader, string name) : base(reader, name)
    {
        Seconds = reader.Integer("Seconds", min: 0);
        var timestamp = reader.String("Timestamp");
        if (timestamp is not null)
        {
            if (Timestamps.TryParse(timestamp, out var parsed))
            {
                Timestamp = parsed;
            }
            else
            {
                reader.Problem("Timestamp", $"\"{timestamp}\" is not an RFC 3339 timestamp such as 2026-01-31T12:00:00Z");
            }
        }
        SecondsPath = reader.Path("SecondsPath", reference: true);
        TimestampPath = reader.Path("TimestampPath", reference: true);
        var given = new[] { "Seconds", "Timestamp", "SecondsPath", "TimestampPath" }.Count(reader.Has);
        if (given != 1)
        {
            reader.Problem("Seconds", "a Wait state needs exactly one of Seconds, Timestamp, SecondsPath and TimestampPath");
        }
        reader.RejectUnknown(Fields, "a Wait state");
    }

    public override string Type => "Wait";

    public long? Seconds { get; }

    public DateTimeOffset? Timestamp { get; }

    public JsonPath? SecondsPath { get; }

    public JsonPath? TimestampPath { get; }

    internal override async ValueTask<StateOutcome> ExecuteAsync(StateRun run, CancellationToken cancellationToken)
    {
        var input = InputPath.Apply(run.RawInput, run, "InputPath");
        if (input.Failed)
        {
            return StateOutcome.Fail(input.Error!);
        }
        var roots = new PathRoots(input.Value, run);
        TimeSpan delay;
        if (Seconds is { } seconds)
        {
            delay = TimeSpan.FromSeconds(seconds);
        }
        else if (Timestamp is { } until)
        {
            delay = until - run.Run.Time.GetUtcNow();
        }
        else if (SecondsPath is not null)
        {
            if (!SecondsPath.TryEvaluate(roots, out var value) || value is not JsonNumber n || !n.TryGetInt64(out var s) || s < 0)
            {
                return StateOutcome.Fail(StatesError.Runtime($"The SecondsPath '{SecondsPath.Text}' must select a non-negative integer in the input"));
            }
            delay = TimeSpan.FromSeconds(s);
        }
        else
        {
            if (!TimestampPath!.TryEvaluate(roots, out var value) || value is not JsonString str || !Timestamps.TryParse(str.Value, out var at))
            {
                return StateOutcome.Fail(StatesError.Runtime($"The TimestampPath '{TimestampPath.Text}' must select an RFC 3339 timestamp in the input"));
            }
            delay = at - run.Run.Time.GetUtcNow();
        }
        await run.Run.DelayAsync(delay, cancellationToken);
        if (run.ApplyAssign(Assign, input.Value) is { } assignError)
        {
            return StateOutcome.Fail(assignError);
        }
        return Leave(run, input.Value);
    }
}

/// <summary>RFC 3339 timestamps as the States Language requires them: an uppercase T and a Z or numeric offset.</summary>
public static class Timestamps
{
    public static bool TryParse(string text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length < 20 || text[10] != 'T' || (text[^1] != 'Z' && text[^6] is not ('+' or '-')))
        {
            return false;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out value);
    }
}
