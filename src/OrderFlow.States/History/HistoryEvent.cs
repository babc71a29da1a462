using System.Globalization;
using OrderFlow.States.Execution;
using OrderFlow.Json;

namespace OrderFlow.States.History;

/// <summary>
/// One event of an execution's history, in the shape of the GetExecutionHistory API
/// (https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html).
/// </summary>
public sealed record HistoryEvent(long Id, long PreviousEventId, DateTimeOffset Timestamp, string Type, string? DetailsName, JsonObject? Details)
{
    public JsonObject ToJson()
    {
        var builder = new JsonObjectBuilder(5)
            .Set("timestamp", Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))
            .Set("type", Type)
            .Set("id", Id)
            .Set("previousEventId", PreviousEventId);
        if (DetailsName is not null && Details is not null)
        {
            builder.Set(DetailsName, Details);
        }
        return builder.Build();
    }
}

/// <summary>
/// Collects the events of one execution; ids are assigned in order, safely across concurrent branches. Like Step
/// Functions, it holds at most <c>maxEvents</c> (25,000 for a Standard workflow): past that the execution fails.
/// </summary>
public sealed class HistoryRecorder(TimeProvider time, int maxEvents = HistoryRecorder.StandardLimit)
{
    /// <summary>The Standard workflow quota of history events per execution.</summary>
    public const int StandardLimit = 25_000;

    /// <summary>True once the quota is reached; the execution then fails at its next transition.</summary>
    public bool LimitReached { get; private set; }

    public int MaxEvents => maxEvents;

    private readonly List<HistoryEvent> _events = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<HistoryEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    public long Add(long previousEventId, string type, string? detailsName = null, JsonObject? details = null)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var id = _events.Count + 1;
            // The execution's own closing event is always kept, so that a history ends with how it ended.
            if (id > maxEvents && !type.StartsWith("Execution", StringComparison.Ordinal))
            {
                LimitReached = true;
                return id - 1;
            }
            _events.Add(new HistoryEvent(id, previousEventId, now, type, detailsName, details));
            return id;
        }
    }
}

/// <summary>Builders for the *EventDetails objects.</summary>
internal static class EventDetails
{
    private static readonly JsonObject NotTruncated = new JsonObjectBuilder(1).Set("truncated", false).Build();

    public static JsonObject StateEntered(string name, JsonValue input) =>
        new JsonObjectBuilder(3).Set("name", name).Set("input", input.ToJsonString()).Set("inputDetails", NotTruncated).Build();

    public static JsonObject StateExited(string name, JsonValue output, JsonObject? assigned)
    {
        var builder = new JsonObjectBuilder(4).Set("name", name).Set("output", output.ToJsonString()).Set("outputDetails", NotTruncated);
        if (assigned is { Count: > 0 })
        {
            var strings = new JsonObjectBuilder(assigned.Count);
            foreach (var (key, value) in assigned.Members)
            {
                strings.Set(key, value.ToJsonString());
            }
            builder.Set("assignedVariables", strings.Build());
            builder.Set("assignedVariablesDetails", NotTruncated);
        }
        return builder.Build();
    }

    public static JsonObject Failure(StatesError error) => ErrorAndCause(new JsonObjectBuilder(2), error).Build();

    public static JsonObjectBuilder ErrorAndCause(JsonObjectBuilder builder, StatesError error)
    {
        builder.Set("error", error.Error);
        if (error.Cause is not null)
        {
            builder.Set("cause", error.Cause);
        }
        return builder;
    }

    public static JsonObject Output(JsonValue output) =>
        new JsonObjectBuilder(2).Set("output", output.ToJsonString()).Set("outputDetails", NotTruncated).Build();

    public static JsonObject Input(JsonValue input, string roleArn) =>
        new JsonObjectBuilder(3).Set("input", input.ToJsonString()).Set("inputDetails", NotTruncated).Set("roleArn", roleArn).Build();
}
