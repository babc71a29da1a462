using OrderFlow.States.Execution;
using OrderFlow.Json;
using OrderFlow.States.Parsing;

namespace OrderFlow.States.Model;

/// <summary>How retry intervals are randomised (https://states-language.net/spec.html#retrying-after-error).</summary>
public enum JitterStrategy { None, Full }

/// <summary>One element of a Retry field.</summary>
public sealed class Retrier
{
    private static readonly HashSet<string> Fields = ["ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment"];

    internal Retrier(FieldReader reader)
    {
        reader.RejectUnknown(Fields, "a Retrier");
        ErrorEquals = ErrorList.Read(reader);
        IntervalSeconds = (int)(reader.Integer("IntervalSeconds", min: 1) ?? 1);
        MaxAttempts = (int)(reader.Integer("MaxAttempts", min: 0) ?? 3);
        BackoffRate = reader.Number("BackoffRate") ?? 2.0;
        if (BackoffRate < 1.0)
        {
            reader.Problem("BackoffRate", $"must be a number ≥ 1.0, not {BackoffRate}");
        }
        MaxDelaySeconds = (int?)reader.Integer("MaxDelaySeconds", min: 1);
        Jitter = reader.String("JitterStrategy") switch
        {
            null or "NONE" => JitterStrategy.None,
            "FULL" => JitterStrategy.Full,
            var other => Invalid(reader, other),
        };
    }

    private static JitterStrategy Invalid(FieldReader reader, string value)
    {
        reader.Problem("JitterStrategy", $"must be FULL or NONE, not \"{value}\"");
        return JitterStrategy.None;
    }

    public IReadOnlyList<string> ErrorEquals { get; }

    /// <summary>Seconds before the first retry. Default 1.</summary>
    public int IntervalSeconds { get; }

    /// <summary>Retries at most this many times; 0 never retries. Default 3.</summary>
    public int MaxAttempts { get; }

    /// <summary>Multiplier of the interval per retry. Default 2.0.</summary>
    public double BackoffRate { get; }

    /// <summary>Cap of any interval, in seconds. Default none.</summary>
    public int? MaxDelaySeconds { get; }

    public JitterStrategy Jitter { get; }

    public bool Matches(string error) => ErrorEquals.Any(e => ErrorNames.Matches(e, error));

    /// <summary>The wait before retry number <paramref name="retry"/> (0-based): interval × rate^retry, capped, then jittered.</summary>
    public TimeSpan DelayBefore(int retry, IRandomSource random)
    {
        var seconds = IntervalSeconds * Math.Pow(BackoffRate, retry);
        if (MaxDelaySeconds is { } cap)
        {
            seconds = Math.Min(seconds, cap);
        }
        if (Jitter == JitterStrategy.Full)
        {
            seconds *= random.NextDouble();
        }
        return TimeSpan.FromSeconds(Math.Min(seconds, TimeSpan.MaxValue.TotalSeconds / 2));
    }
}

/// <summary>One element of a Catch field.</summary>
public sealed class Catcher
{
    private static readonly HashSet<string> Fields = ["ErrorEquals", "Next", "ResultPath", "Comment", "Assign"];

    internal Catcher(FieldReader reader)
    {
        reader.RejectUnknown(Fields, "a Catcher");
        ErrorEquals = ErrorList.Read(reader);
        Next = reader.String("Next", required: true) ?? string.Empty;
        ResultPath = reader.ResultPath();
        Assign = AssignBlock.Compile(reader, "Assign");
    }

    public IReadOnlyList<string> ErrorEquals { get; }

    public string Next { get; }

    public ResultPathSpec ResultPath { get; }

    public PayloadTemplate? Assign { get; }

    internal State? NextState { get; set; }

    public bool Matches(string error) => ErrorEquals.Any(e => ErrorNames.Matches(e, error));
}

internal static class ErrorList
{
    public static string[] Read(FieldReader reader)
    {
        var array = reader.Array("ErrorEquals", required: true, nonEmpty: true);
        if (array is null)
        {
            return [];
        }
        var names = new List<string>();
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonString { Value: var name })
            {
                reader.Problem($"ErrorEquals[{i}]", "must be a string");
                continue;
            }
            if (name.StartsWith("States.", StringComparison.Ordinal) && !ErrorNames.Predefined.Contains(name))
            {
                reader.Problem($"ErrorEquals[{i}]", $"\"{name}\" is not a predefined error name; names starting with \"States.\" are reserved");
            }
            names.Add(name);
        }
        if (names.Contains(ErrorNames.All) && names.Count > 1)
        {
            reader.Problem("ErrorEquals", "States.ALL must appear alone in its ErrorEquals array");
        }
        return [.. names];
    }

    /// <summary>States.ALL, when used, must be in the last Retrier or Catcher.</summary>
    public static void CheckAllIsLast<T>(IReadOnlyList<T> handlers, Func<T, IReadOnlyList<string>> errors, FieldReader reader, string field)
    {
        for (var i = 0; i < handlers.Count - 1; i++)
        {
            if (errors(handlers[i]).Contains(ErrorNames.All))
            {
                reader.Problem($"{field}[{i}].ErrorEquals", "States.ALL must be in the last element of " + field);
            }
        }
    }
}
