using OrderFlow.Events.Patterns;
using OrderFlow.Json;
using OrderFlow.Local.Buckets;
using OrderFlow.Local.Bus;
using OrderFlow.Local.Functions;
using OrderFlow.Local.Integrations;
using OrderFlow.Local.Manifest;
using OrderFlow.Local.Queues;
using OrderFlow.Local.Storage;
using OrderFlow.Local.Tables;
using OrderFlow.States.Distributed;
using OrderFlow.States.Execution;
using OrderFlow.States.Tasks;

namespace OrderFlow.Local;

/// <summary>Where and how the embedded services run. Every member has a documented default.</summary>
public sealed record LocalCloudOptions
{
    /// <summary>The environment variable that overrides the default data directory.</summary>
    public const string DataDirectoryVariable = "ORDERFLOW_DATA_DIR";

    /// <summary>Where all data lives. Default: <c>$ORDERFLOW_DATA_DIR</c>, else <c>./.orderflow</c>.</summary>
    public string DataDirectory { get; init; } = ResolveDataDirectory(null);

    /// <summary>Default: the system clock.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Default: system randomness.</summary>
    public IRandomSource Random { get; init; } = SystemRandomSource.Instance;

    /// <summary>Region in ARNs and URLs. Default: "us-east-1".</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>Account in ARNs and URLs. Default: "123456789012".</summary>
    public string Account { get; init; } = "123456789012";

    /// <summary>Scale of real waits in executions (see <see cref="ExecutionOptions.WaitTimeScale"/>). Default: 1.</summary>
    public double WaitTimeScale { get; init; } = 1.0;

    /// <summary>Counts finished Distributed Map children of every execution, for progress displays. Default: none.</summary>
    public ChildCounter? ChildCounter { get; init; }

    /// <summary>
    /// Buckets, tables and queues outside the data directory (AWS or a compatible endpoint) instead of the embedded ones.
    /// Default: none, everything embedded.
    /// </summary>
    public RemoteServicesFactory? RemoteServices { get; init; }

    /// <summary>The directory from an explicit option, the environment variable, or <c>./.orderflow</c>.</summary>
    public static string ResolveDataDirectory(string? option)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(DataDirectoryVariable);
        return Path.GetFullPath(option ?? (string.IsNullOrEmpty(fromEnvironment) ? ".orderflow" : fromEnvironment));
    }
}

/// <summary>
/// The embedded cloud of one data directory: bucket, table, queue, functions, event bus and state machines, wired to
/// the States engine through the service integrations. Everything it holds is on disk and outlives the process.
/// </summary>
public sealed class LocalCloud : IAsyncDisposable
{
    private readonly SqliteDatabase _database;
    private readonly LocalCloudOptions _options;
    private readonly TaskHandlerRegistry _handlers = new();
    private readonly IRemoteServices? _remote;

    private LocalCloud(LocalCloudOptions options)
    {
        _options = options;
        Directory.CreateDirectory(options.DataDirectory);
        _database = new SqliteDatabase(Path.Combine(options.DataDirectory, "orderflow.db"),
            [.. TableSchema.Sql, .. LocalQueues.Sql, .. LocalBuckets.Sql, .. LocalStateMachines.Sql,
             "CREATE TABLE IF NOT EXISTS local_resources(kind TEXT NOT NULL, name TEXT NOT NULL, spec TEXT NOT NULL, PRIMARY KEY(kind, name))"],
            [TableSchema.Upgrade, LocalStateMachines.Upgrade], StorageFault);
        Tables = new LocalTables(_database);
        Queues = new LocalQueues(_database, options.Time, options.Random, options.Region, options.Account);
        Functions = new LocalFunctions(options.Region, options.Account);
        StateMachines = new LocalStateMachines(_database, _ => ExecutionOptions);
        Bus = new LocalEventBus(StateMachines);
        Buckets = new LocalBuckets(_database, Path.Combine(options.DataDirectory, "buckets"), options.Time, options.Random, PublishAsync, options.Region, options.Account);
        _remote = options.RemoteServices?.Invoke(PublishAsync);
        ObjectStore = _remote?.ObjectStore ?? new BucketObjectStore(Buckets);
        ServiceIntegrations.Register(_handlers, _remote?.Tables ?? Tables, _remote?.Queues ?? Queues, _remote?.Buckets ?? Buckets, Functions,
            (request, ct) => Task.FromResult(Bus.PutEvents(request, options.Region, options.Account, options.Time, options.Random, ct)));
    }

    /// <summary>The data directory's database (for tests that need to make its storage fail).</summary>
    internal SqliteDatabase Database => _database;

    /// <summary>The first failure of the data directory's storage (the disk full, an I/O error), which stops every execution.</summary>
    public StorageFault StorageFault { get; } = new();

    public LocalTables Tables { get; }

    /// <summary>The tables executions read and write: the embedded ones, or the remote services' when configured.</summary>
    public IServiceApi TableService => _remote?.Tables ?? Tables;

    /// <summary>The buckets executions read and write: the embedded ones, or the remote services' when configured.</summary>
    public IObjectStore ObjectStore { get; }

    /// <summary>Where buckets, tables and queues are: "embedded" or the remote services' description.</summary>
    public string StorageDescription => _remote?.Description ?? "embedded";

    /// <summary>True when buckets, tables and queues are remote (AWS or a compatible endpoint).</summary>
    public bool IsRemote => _remote is not null;

    public LocalQueues Queues { get; }

    /// <summary>The queues executions send to: the embedded ones, or the remote services' when configured.</summary>
    public IServiceApi QueueService => _remote?.Queues ?? Queues;

    public LocalBuckets Buckets { get; }

    public LocalFunctions Functions { get; }

    public LocalEventBus Bus { get; }

    public LocalStateMachines StateMachines { get; }

    public string DataDirectory => _options.DataDirectory;

    /// <summary>Options for executions on these services.</summary>
    public ExecutionOptions ExecutionOptions => new()
    {
        Handlers = _handlers,
        TimeProvider = _options.Time,
        Random = _options.Random,
        Region = _options.Region,
        AccountId = _options.Account,
        WaitTimeScale = _options.WaitTimeScale,
        ObjectStore = ObjectStore,
        ChildCounter = _options.ChildCounter,
        StopToken = _stopping.Token,
    };

    private readonly CancellationTokenSource _stopping = new();

    /// <summary>
    /// Asks every running execution to stop gently (<see cref="ExecutionOptions.StopToken"/>): a Distributed Map lets its
    /// running children finish. Each then ends ABORTED. Executions started afterwards stop before their first state.
    /// </summary>
    public void StopExecutions() => _stopping.Cancel();

    /// <summary>Opens (creating if needed) the data directory and loads its functions and rules.</summary>
    /// <exception cref="DataDirectoryException">The directory or its database cannot be opened (damaged, not writable, the disk full).</exception>
    public static LocalCloud Open(LocalCloudOptions options)
    {
        LocalCloud cloud;
        try
        {
            cloud = new LocalCloud(options);
        }
        catch (Exception ex) when (StorageFault.IsStorageFailure(ex) || ex is UnauthorizedAccessException)
        {
            throw new DataDirectoryException(options.DataDirectory, ex);
        }
        cloud.LoadResources();
        return cloud;
    }

    /// <summary>Creates every resource of the manifest; running it again changes nothing (idempotent).</summary>
    public async Task<IReadOnlyList<string>> InitAsync(ResourceManifest manifest, CancellationToken cancellationToken)
    {
        var created = new List<string>();
        void Check<T>(ServiceResult<T> result, string what)
        {
            if (result.Failed)
            {
                throw new InvalidOperationException($"{what}: {result.Error!.Code}: {result.Error.Message}");
            }
            created.Add(what);
        }
        if (_remote is not null)
        {
            created.AddRange(await _remote.CreateResourcesAsync(manifest, cancellationToken));
        }
        foreach (var bucket in _remote is null ? manifest.Buckets : (IEnumerable<string>)[])
        {
            Check(await Buckets.CreateBucketAsync(bucket, cancellationToken), $"bucket {bucket}");
        }
        foreach (var t in _remote is null ? manifest.Tables : (IEnumerable<TableSpec>)[])
        {
            Check(await Tables.CreateTableAsync(new TableSchema(t.Name, t.PartitionKey, t.PartitionKeyType, t.SortKey, t.SortKeyType), cancellationToken), $"table {t.Name}");
        }
        foreach (var q in _remote is null ? manifest.Queues.OrderBy(q => q.DeadLetterQueue is null ? 0 : 1) : (IEnumerable<QueueSpec>)[])
        {
            var settings = new QueueSettings(q.Name) { DeadLetterQueue = q.DeadLetterQueue, MaxReceiveCount = q.MaxReceiveCount };
            settings = q.VisibilityTimeoutSeconds is { } vt ? settings with { VisibilityTimeoutSeconds = vt } : settings;
            settings = q.MessageRetentionSeconds is { } rp ? settings with { MessageRetentionSeconds = rp } : settings;
            Check(await Queues.CreateQueueAsync(settings, cancellationToken), $"queue {q.Name}");
        }
        foreach (var f in manifest.Functions)
        {
            if (!FunctionCatalog.TryCreate(f.Handler, out _))
            {
                throw new InvalidOperationException($"function {f.Name}: unknown handler \"{f.Handler}\"; known handlers: {string.Join(", ", FunctionCatalog.Ids)}");
            }
            var spec = new JsonObjectBuilder(2).Set("handler", f.Handler)
                .Set("aliases", JsonObject.Create(f.Aliases.Select(a => new KeyValuePair<string, JsonValue>(a.Key, new JsonString(a.Value))))).Build();
            await SaveResourceAsync("function", f.Name, spec, cancellationToken);
            created.Add($"function {f.Name}");
        }
        foreach (var s in manifest.StateMachines)
        {
            Check(await StateMachines.CreateAsync(s.Name, s.Definition, cancellationToken), $"state machine {s.Name}");
        }
        foreach (var r in manifest.Rules)
        {
            _ = EventPattern.Parse(r.Pattern); // reject an invalid pattern now, with its reason
            var spec = new JsonObjectBuilder(3).Set("pattern", r.Pattern)
                .Set("targets", new JsonArray(r.StateMachines.Select(s => (JsonValue)new JsonString(s)).ToArray()))
                .Set("executionNaming", r.ExecutionNaming is null ? JsonValue.Null : new JsonString(r.ExecutionNaming)).Build();
            await SaveResourceAsync("rule", r.Name, spec, cancellationToken);
            created.Add($"rule {r.Name}");
        }
        LoadResources();
        return created;
    }

    /// <summary>The executions started by events since the last call, to wait for them.</summary>
    public IReadOnlyList<Task<ServiceResult<ExecutionResult>>> TakeStartedExecutions() => Bus.TakeStartedExecutions();

    private Task PublishAsync(JsonObject evt, CancellationToken cancellationToken)
    {
        _ = Bus.Publish(evt, cancellationToken);
        return Task.CompletedTask;
    }

    private async Task SaveResourceAsync(string kind, string name, JsonObject spec, CancellationToken cancellationToken) =>
        await _database.WriteAsync(connection =>
        {
            using var upsert = connection.CreateCommand();
            upsert.CommandText = "INSERT OR REPLACE INTO local_resources(kind, name, spec) VALUES ($k, $n, $s)";
            upsert.Parameters.AddWithValue("$k", kind);
            upsert.Parameters.AddWithValue("$n", name);
            upsert.Parameters.AddWithValue("$s", spec.ToJsonString());
            return upsert.ExecuteNonQuery();
        }, cancellationToken);

    private void LoadResources()
    {
        var resources = _database.Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT kind, name, spec FROM local_resources ORDER BY kind, name";
            using var reader = command.ExecuteReader();
            var rows = new List<(string Kind, string Name, JsonObject Spec)>();
            while (reader.Read())
            {
                rows.Add((reader.GetString(0), reader.GetString(1), (JsonObject)JsonValue.Parse(reader.GetString(2))));
            }
            return rows;
        });
        foreach (var (kind, name, spec) in resources)
        {
            if (kind == "function" && FunctionCatalog.TryCreate(((JsonString)spec["handler"]!).Value, out var handler, out var json))
            {
                var aliases = ((JsonObject)spec["aliases"]!).Members.ToDictionary(m => m.Key, m => ((JsonString)m.Value).Value);
                Functions.Register(name, handler, aliases, jsonHandler: json);
            }
            else if (kind == "rule")
            {
                var pattern = EventPattern.Parse(((JsonString)spec["pattern"]!).Value);
                Bus.AddRule(name, pattern, [.. ((JsonArray)spec["targets"]!).Select(t => ((JsonString)t).Value)], (spec["executionNaming"] as JsonString)?.Value);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Task.WhenAll(Bus.TakeStartedExecutions());
        }
        catch (OperationCanceledException)
        {
            // executions stopped (StopExecutions) or cancelled: already stored as ABORTED
        }
        _stopping.Dispose();
        StorageFault.Dispose();
        if (_remote is not null)
        {
            await _remote.DisposeAsync();
        }
        await _database.DisposeAsync();
    }
}
