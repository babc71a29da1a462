using OrderFlow.Events.Patterns;
using OrderFlow.Events.Rules;
using OrderFlow.Json;
using OrderFlow.Local.Storage;
using OrderFlow.States.Execution;

namespace OrderFlow.Local.Bus;

/// <summary>A rule's target: the state machine it starts with the matching event as input, and how executions are named.</summary>
public sealed record RuleTarget(string Rule, string StateMachine, string? ExecutionNaming = null);

/// <summary>
/// The local event bus: rules (EventBridge patterns) whose targets start state machine executions with the event as
/// input. Publishing returns the executions it started, so a caller can wait for them.
/// </summary>
public sealed class LocalEventBus(LocalStateMachines stateMachines)
{
    private readonly Lock _gate = new();
    private EventRuleSet<RuleTarget> _rules = new();
    private readonly List<(string Name, EventPattern Pattern, string StateMachine, string? Naming)> _definitions = [];
    private readonly List<Task<ServiceResult<ExecutionResult>>> _started = [];

    /// <summary>Adds or replaces a rule and its targets.</summary>
    public void AddRule(string name, EventPattern pattern, IReadOnlyList<string> stateMachines, string? executionNaming = null)
    {
        lock (_gate)
        {
            _definitions.RemoveAll(d => d.Name == name);
            _definitions.AddRange(stateMachines.Select(s => (name, pattern, s, executionNaming)));
            var rules = new EventRuleSet<RuleTarget>();
            foreach (var (n, p, s, naming) in _definitions)
            {
                rules.Add(new RuleTarget(n, s, naming), p);
            }
            _rules = rules;
        }
    }

    public IReadOnlyList<(string Name, string StateMachine)> Rules
    {
        get
        {
            lock (_gate)
            {
                return [.. _definitions.Select(d => (d.Name, d.StateMachine))];
            }
        }
    }

    /// <summary>Delivers an event to every matching rule's target; the returned tasks finish with the executions.</summary>
    public IReadOnlyList<Task<ServiceResult<ExecutionResult>>> Publish(JsonObject evt, CancellationToken cancellationToken)
    {
        var targets = _rules.Match(evt);
        var started = targets.Select(t => Task.Run(() => stateMachines.RunAsync(t.StateMachine, evt, ExecutionName(t, evt), cancellationToken), cancellationToken)).ToList();
        lock (_gate)
        {
            _started.AddRange(started);
        }
        return started;
    }

    /// <summary>
    /// With "s3-object" naming, an execution is named after its S3 event's bucket, key and sequencer: the same event
    /// delivered twice gets the same name, and execution names are unique, so it runs once.
    /// </summary>
    private static string? ExecutionName(RuleTarget target, JsonObject evt)
    {
        if (target.ExecutionNaming != "s3-object" || evt["detail"] is not JsonObject detail)
        {
            return null;
        }
        var bucket = ((detail["bucket"] as JsonObject)?["name"] as JsonString)?.Value;
        var obj = detail["object"] as JsonObject;
        var identity = $"{bucket}/{(obj?["key"] as JsonString)?.Value}@{(obj?["sequencer"] as JsonString)?.Value ?? (evt["id"] as JsonString)?.Value}";
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(identity)))[..40];
        return $"s3-{hash}";
    }

    /// <summary>The executions started by events since the last call, so that a caller can wait for them.</summary>
    public IReadOnlyList<Task<ServiceResult<ExecutionResult>>> TakeStartedExecutions()
    {
        lock (_gate)
        {
            var started = _started.ToList();
            _started.Clear();
            return started;
        }
    }

    /// <summary>PutEvents: <c>{Entries:[{Source, DetailType, Detail, Resources?}]}</c> → <c>{Entries:[{EventId}], FailedEntryCount}</c>.</summary>
    public ServiceResult<JsonObject> PutEvents(JsonObject request, string region, string account, TimeProvider time, IRandomSource random, CancellationToken cancellationToken)
    {
        if (request["Entries"] is not JsonArray { Count: >= 1 and <= 10 } entries)
        {
            return ServiceError.Validation("Entries must hold 1 to 10 events");
        }
        var results = new List<JsonValue>();
        foreach (var entry in entries.OfType<JsonObject>())
        {
            var detail = entry["Detail"] switch
            {
                JsonString s => JsonValue.Parse(s.Value),
                JsonObject o => o,
                _ => JsonObject.Empty,
            };
            var id = random.NewGuid().ToString();
            var evt = new JsonObjectBuilder(9).Set("version", "0").Set("id", id)
                .Set("detail-type", (entry["DetailType"] as JsonString)?.Value ?? string.Empty)
                .Set("source", (entry["Source"] as JsonString)?.Value ?? string.Empty)
                .Set("account", account)
                .Set("time", time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture))
                .Set("region", region)
                .Set("resources", entry["Resources"] as JsonArray ?? JsonArray.Empty)
                .Set("detail", detail).Build();
            _ = Publish(evt, cancellationToken);
            results.Add(new JsonObjectBuilder(1).Set("EventId", id).Build());
        }
        return new JsonObjectBuilder(2).Set("Entries", new JsonArray([.. results])).Set("FailedEntryCount", 0).Build();
    }
}
