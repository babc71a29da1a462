using System.Text;
using OrderFlow.Json;

namespace OrderFlow.Events.Patterns;

/// <summary>
/// An EventBridge event pattern, validated and compiled once
/// (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html). Matching an event walks the
/// compiled tree; the pattern is never re-read. Instances are immutable and safe to share across threads.
/// </summary>
public sealed class EventPattern
{
    private readonly PatternNode _root;

    private EventPattern(PatternNode root, JsonObject source)
    {
        _root = root;
        Source = source;
    }

    /// <summary>The pattern as written.</summary>
    public JsonObject Source { get; }

    internal PatternNode Root => _root;

    /// <summary>Parses and validates; throws <see cref="InvalidEventPatternException"/> saying what is wrong and where.</summary>
    public static EventPattern Parse(string json)
    {
        JsonValue value;
        try
        {
            value = JsonValue.Parse(Encoding.UTF8.GetBytes(json));
        }
        catch (JsonParseException ex)
        {
            throw new InvalidEventPatternException(ex.Message);
        }
        return Parse(value);
    }

    public static EventPattern Parse(JsonValue pattern)
    {
        if (pattern is not JsonObject obj)
        {
            throw new InvalidEventPatternException($"The event pattern must be a JSON object, not {pattern.KindName}.");
        }
        if (obj.Count == 0)
        {
            throw new InvalidEventPatternException("The event pattern is empty: it needs at least one field to match.");
        }
        return new EventPattern(PatternParser.ParseObject(obj, string.Empty), obj);
    }

    public static bool TryParse(string json, out EventPattern pattern, out string error)
    {
        try
        {
            pattern = Parse(json);
            error = string.Empty;
            return true;
        }
        catch (InvalidEventPatternException ex)
        {
            pattern = null!;
            error = ex.Message;
            return false;
        }
    }

    /// <summary>Whether <paramref name="evt"/> matches: every field of the pattern holds for the event.</summary>
    public bool Matches(JsonValue evt) => evt is JsonObject o && _root.Matches(o);

    public bool Matches(string eventJson) => Matches(JsonValue.Parse(Encoding.UTF8.GetBytes(eventJson)));
}

/// <summary>A pattern EventBridge would refuse, with the reason (as <c>InvalidEventPatternException</c> gives it).</summary>
public sealed class InvalidEventPatternException(string reason) : Exception($"Event pattern is not valid. Reason: {reason}")
{
    public string Reason { get; } = reason;
}
