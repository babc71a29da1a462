using OrderFlow.Json;

namespace OrderFlow.Local.Manifest;

/// <summary>
/// The local resources of a project, declared next to its definitions and created by <c>orderflow init</c>:
/// buckets, tables, queues (with redrive), functions (by .NET handler id), state machines and rules with targets.
/// Files named in it (definitions, patterns) are relative to the manifest.
/// </summary>
/// <example>
/// {"buckets":["order-data-rohe"],
///  "tables":[{"name":"ecom-order","partitionKey":{"name":"OrderId","type":"S"}}],
///  "queues":[{"name":"order-data-dlq"}],
///  "functions":[{"name":"order-json","handler":"seed.order-json"}],
///  "stateMachines":[{"name":"seed","definition":"state-machine.asl.json"}],
///  "rules":[{"name":"order-file-created","pattern":"event-bridge-rule.json","targets":[{"stateMachine":"seed"}]}]}
/// </example>
public sealed record ResourceManifest(
    IReadOnlyList<string> Buckets,
    IReadOnlyList<TableSpec> Tables,
    IReadOnlyList<QueueSpec> Queues,
    IReadOnlyList<FunctionSpec> Functions,
    IReadOnlyList<StateMachineSpec> StateMachines,
    IReadOnlyList<RuleSpec> Rules)
{
    private static readonly HashSet<string> Fields = ["buckets", "tables", "queues", "functions", "stateMachines", "rules", "comment"];

    /// <summary>Reads a manifest file; throws <see cref="FormatException"/> listing every problem.</summary>
    public static ResourceManifest Load(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        JsonValue json;
        try
        {
            json = JsonValue.Parse(File.ReadAllText(path));
        }
        catch (JsonParseException ex)
        {
            throw new FormatException($"{path}: {ex.Message}", ex);
        }
        var errors = new List<string>();
        if (json is not JsonObject root)
        {
            throw new FormatException($"{path}: a manifest is a JSON object");
        }
        errors.AddRange(root.Names.Where(n => !Fields.Contains(n)).Select(n => $"{n}: not a manifest field (use {string.Join(", ", Fields)})"));
        var manifest = new ResourceManifest(
            Array(root, "buckets", errors).Select((v, i) => Str(v, $"buckets[{i}]", errors)).ToList(),
            Array(root, "tables", errors).Select((v, i) => TableSpec.Read(v, $"tables[{i}]", errors)).ToList(),
            Array(root, "queues", errors).Select((v, i) => QueueSpec.Read(v, $"queues[{i}]", errors)).ToList(),
            Array(root, "functions", errors).Select((v, i) => FunctionSpec.Read(v, $"functions[{i}]", errors)).ToList(),
            Array(root, "stateMachines", errors).Select((v, i) => StateMachineSpec.Read(v, $"stateMachines[{i}]", directory, errors)).ToList(),
            Array(root, "rules", errors).Select((v, i) => RuleSpec.Read(v, $"rules[{i}]", directory, errors)).ToList());
        foreach (var rule in manifest.Rules)
        {
            foreach (var target in rule.StateMachines.Where(t => manifest.StateMachines.All(s => s.Name != t)))
            {
                errors.Add($"rules.{rule.Name}: target state machine \"{target}\" is not declared in stateMachines");
            }
        }
        foreach (var queue in manifest.Queues.Where(q => q.DeadLetterQueue is not null && manifest.Queues.All(o => o.Name != q.DeadLetterQueue)))
        {
            errors.Add($"queues.{queue.Name}: dead-letter queue \"{queue.DeadLetterQueue}\" is not declared in queues");
        }
        if (errors.Count > 0)
        {
            throw new FormatException($"{path}: {errors.Count} problem(s):{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors));
        }
        return manifest;
    }

    private static IEnumerable<JsonValue> Array(JsonObject root, string field, List<string> errors)
    {
        switch (root[field])
        {
            case null:
                return [];
            case JsonArray a:
                return a;
            default:
                errors.Add($"{field}: must be an array");
                return [];
        }
    }

    internal static string Str(JsonValue? value, string at, List<string> errors)
    {
        if (value is JsonString { Value.Length: > 0 } s)
        {
            return s.Value;
        }
        errors.Add($"{at}: must be a non-empty string");
        return string.Empty;
    }

    internal static string ReadFile(string directory, string relative, string at, List<string> errors)
    {
        var path = Path.Combine(directory, relative);
        if (File.Exists(path))
        {
            return File.ReadAllText(path);
        }
        errors.Add($"{at}: file not found: {path}");
        return string.Empty;
    }
}

public sealed record TableSpec(string Name, string PartitionKey, string PartitionKeyType, string? SortKey, string? SortKeyType)
{
    internal static TableSpec Read(JsonValue value, string at, List<string> errors)
    {
        var o = value as JsonObject ?? JsonObject.Empty;
        var pk = o["partitionKey"] as JsonObject ?? JsonObject.Empty;
        var sk = o["sortKey"] as JsonObject;
        return new TableSpec(ResourceManifest.Str(o["name"], $"{at}.name", errors),
            ResourceManifest.Str(pk["name"], $"{at}.partitionKey.name", errors), (pk["type"] as JsonString)?.Value ?? "S",
            sk is null ? null : ResourceManifest.Str(sk["name"], $"{at}.sortKey.name", errors), sk is null ? null : (sk["type"] as JsonString)?.Value ?? "S");
    }
}

public sealed record QueueSpec(string Name, int? VisibilityTimeoutSeconds, int? MessageRetentionSeconds, string? DeadLetterQueue, int? MaxReceiveCount)
{
    internal static QueueSpec Read(JsonValue value, string at, List<string> errors)
    {
        var o = value as JsonObject ?? JsonObject.Empty;
        var redrive = o["redrivePolicy"] as JsonObject;
        int? Int(JsonObject? source, string field) => source?[field] is JsonNumber n ? (int)n.Value : null;
        return new QueueSpec(ResourceManifest.Str(o["name"], $"{at}.name", errors), Int(o, "visibilityTimeout"), Int(o, "messageRetentionPeriod"),
            redrive is null ? null : ResourceManifest.Str(redrive["deadLetterQueue"], $"{at}.redrivePolicy.deadLetterQueue", errors), Int(redrive, "maxReceiveCount"));
    }
}

public sealed record FunctionSpec(string Name, string Handler, IReadOnlyDictionary<string, string> Aliases)
{
    internal static FunctionSpec Read(JsonValue value, string at, List<string> errors)
    {
        var o = value as JsonObject ?? JsonObject.Empty;
        var aliases = (o["aliases"] as JsonObject)?.Members.ToDictionary(m => m.Key, m => (m.Value as JsonString)?.Value ?? "$LATEST") ?? [];
        return new FunctionSpec(ResourceManifest.Str(o["name"], $"{at}.name", errors), ResourceManifest.Str(o["handler"], $"{at}.handler", errors), aliases);
    }
}

/// <summary>A state machine: its definition with every <c>${Name}</c> placeholder replaced from <c>substitutions</c>.</summary>
public sealed record StateMachineSpec(string Name, string Definition)
{
    internal static StateMachineSpec Read(JsonValue value, string at, string directory, List<string> errors)
    {
        var o = value as JsonObject ?? JsonObject.Empty;
        var file = ResourceManifest.Str(o["definition"], $"{at}.definition", errors);
        var definition = file.Length == 0 ? string.Empty : ResourceManifest.ReadFile(directory, file, $"{at}.definition", errors);
        foreach (var (name, replacement) in (o["substitutions"] as JsonObject)?.Members ?? [])
        {
            definition = definition.Replace("${" + name + "}", (replacement as JsonString)?.Value ?? replacement.ToJsonString(), StringComparison.Ordinal);
        }
        var unresolved = System.Text.RegularExpressions.Regex.Matches(definition, @"\$\{[A-Za-z0-9_]+\}").Select(m => m.Value).Distinct().ToList();
        if (unresolved.Count > 0)
        {
            errors.Add($"{at}.substitutions: no value for {string.Join(", ", unresolved)}");
        }
        return new StateMachineSpec(ResourceManifest.Str(o["name"], $"{at}.name", errors), definition);
    }
}

/// <summary>
/// A rule and its targets. A target's <c>executionName</c> of <c>"s3-object"</c> names each execution after the
/// object of its S3 event (bucket, key and sequencer), so a duplicate event cannot start a second execution.
/// </summary>
public sealed record RuleSpec(string Name, string Pattern, IReadOnlyList<string> StateMachines)
{
    public string? ExecutionNaming { get; init; }

    internal static RuleSpec Read(JsonValue value, string at, string directory, List<string> errors)
    {
        var o = value as JsonObject ?? JsonObject.Empty;
        var file = ResourceManifest.Str(o["pattern"], $"{at}.pattern", errors);
        var targets = (o["targets"] as JsonArray ?? JsonArray.Empty).Select((t, i) => ResourceManifest.Str((t as JsonObject)?["stateMachine"], $"{at}.targets[{i}].stateMachine", errors)).ToList();
        if (targets.Count == 0)
        {
            errors.Add($"{at}.targets: a rule needs at least one target");
        }
        var naming = (o["targets"] as JsonArray ?? JsonArray.Empty).OfType<JsonObject>().Select(t => (t["executionName"] as JsonString)?.Value).FirstOrDefault(n => n is not null);
        if (naming is not null and not "s3-object")
        {
            errors.Add($"{at}.targets: executionName must be \"s3-object\" or absent (a random name)");
        }
        return new RuleSpec(ResourceManifest.Str(o["name"], $"{at}.name", errors), file.Length == 0 ? string.Empty : ResourceManifest.ReadFile(directory, file, $"{at}.pattern", errors), targets)
        {
            ExecutionNaming = naming,
        };
    }
}
