using System.Runtime.CompilerServices;
using OrderFlow.Json;
using OrderFlow.States.Execution;
using OrderFlow.States.History;
using OrderFlow.States.Model;
using OrderFlow.States.Paths;

namespace OrderFlow.States.Distributed;

/// <summary>
/// Runs a Map state in DISTRIBUTED mode: items stream from the ItemReader (or the input array), are selected and
/// batched, and run as child executions with bounded concurrency; each result is released as soon as it is
/// written (ResultWriter) or dropped when the state's output does not need it. Failures beyond the tolerated count
/// or percentage fail the run with States.ExceedToleratedFailureThreshold
/// (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html).
/// </summary>
internal sealed class DistributedMapRunner(MapState state, StateRun run, JsonValue effectiveInput)
{
    private readonly ExecutionOptions _options = run.Run.Options;
    private readonly Lock _gate = new();
    private long _succeeded;
    private long _failed;
    private long _total;
    private long _itemsSucceeded;
    private long _itemsFailed;
    private StatesError? _firstFailure;

    public async ValueTask<Evaluated> RunAsync(CancellationToken cancellationToken)
    {
        var frame = run.Frame;
        var roots = new PathRoots(effectiveInput, run);
        var mapRunId = _options.Random.NewGuid().ToString();
        var mapRunArn = $"arn:aws:states:{_options.Region}:{_options.AccountId}:mapRun:{_options.StateMachineName}/{state.Label ?? state.Name}:{mapRunId}";
        frame.Record("MapRunStarted", "mapRunStartedEventDetails", frame.RecordsHistory ? new JsonObjectBuilder(1).Set("mapRunArn", mapRunArn).Build() : null);

        var settings = Settings.Resolve(state, roots);
        if (settings.Failed)
        {
            return Fail(frame, mapRunArn, settings.Error!);
        }
        var writerTarget = ResolveResultWriter(roots);
        if (writerTarget.Failed)
        {
            return Fail(frame, mapRunArn, writerTarget.Error!);
        }
        var keepResults = writerTarget.Value is JsonNull && state.NeedsResults;
        var results = keepResults ? new List<(long Index, JsonValue Output)>() : null;
        await using var files = writerTarget.Value is JsonObject ? new ResultFiles() : null;
        var childOptions = _options with { RecordHistory = false, ExecutionName = null, StopToken = CancellationToken.None };
        var (maxConcurrency, maxItems, maxBatchItems, maxBatchBytes, toleratedCount, toleratedPercentage) = settings.Value;

        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var inFlight = new List<Task>();
        long index = 0;
        try
        {
            var source = Items(roots, maxItems, abort.Token);
            await foreach (var childInput in Batches(source, roots, maxBatchItems, maxBatchBytes).WithCancellation(abort.Token))
            {
                if (childInput.Failed)
                {
                    return Fail(frame, mapRunArn, childInput.Error!);
                }
                while (inFlight.Count >= maxConcurrency)
                {
                    var done = await Task.WhenAny(inFlight);
                    inFlight.Remove(done);
                }
                if (Volatile.Read(ref _failed) > toleratedCount || _options.StopToken.IsCancellationRequested)
                {
                    break;
                }
                var childIndex = index++;
                _total++;
                // Child executions are independent: they run on the thread pool, so every core works on them.
                var input = childInput.Value;
                var child = new ValueTask<Evaluated>(Task.Run(() => RunChildAsync(childIndex, input, mapRunId, childOptions, abort.Token).AsTask(), abort.Token));
                inFlight.Add(Complete(childIndex, input, child, results, files, mapRunId));
            }
            await Task.WhenAll(inFlight);
            // Asked to stop: the children started have finished; the rest never start.
            _options.StopToken.ThrowIfCancellationRequested();
        }
        catch (ItemReaderException ex)
        {
            await abort.CancelAsync();
            await Drain(inFlight);
            return Fail(frame, mapRunArn, new StatesError(ErrorNames.ItemReaderFailed, ex.Message));
        }
        catch (IOException ex)
        {
            await abort.CancelAsync();
            await Drain(inFlight);
            return Fail(frame, mapRunArn, new StatesError(ErrorNames.ItemReaderFailed, $"Reading the items failed: {ex.Message}"));
        }

        if (_failed > toleratedCount || (_total > 0 && _failed * 100.0 / _total > toleratedPercentage))
        {
            return Fail(frame, mapRunArn, new StatesError(ErrorNames.ExceedToleratedFailureThreshold,
                $"The specified tolerated failure threshold was exceeded: {_failed} of {_total} child executions failed"
                + (_firstFailure is { } first ? $"; the first failed with {first.Error}: {first.Cause}" : string.Empty)));
        }
        JsonValue output;
        if (files is not null)
        {
            var target = (JsonObject)writerTarget.Value;
            var bucket = ((JsonString)target["Bucket"]!).Value;
            var (manifestKey, error) = await files.UploadAsync(_options.ObjectStore!, bucket, (target["Prefix"] as JsonString)?.Value ?? string.Empty, mapRunArn, cancellationToken);
            if (error is not null)
            {
                return Fail(frame, mapRunArn, new StatesError(ErrorNames.ResultWriterFailed, error));
            }
            output = new JsonObjectBuilder(2).Set("MapRunArn", mapRunArn)
                .Set("ResultWriterDetails", new JsonObjectBuilder(2).Set("Bucket", bucket).Set("Key", manifestKey!).Build()).Build();
        }
        else if (results is not null)
        {
            results.Sort((a, b) => a.Index.CompareTo(b.Index));
            output = new JsonArray(results.Select(r => r.Output).ToArray());
        }
        else
        {
            output = JsonArray.Empty;
        }
        frame.Record("MapRunSucceeded");
        run.Run.MapRuns.Add(Summary(mapRunArn, "SUCCEEDED"));
        return output;
    }

    private Evaluated Fail(Frame frame, string mapRunArn, StatesError error)
    {
        frame.Record("MapRunFailed", "mapRunFailedEventDetails", frame.RecordsHistory ? EventDetails.Failure(error) : null);
        run.Run.MapRuns.Add(Summary(mapRunArn, "FAILED"));
        return error;
    }

    private MapRunSummary Summary(string mapRunArn, string status) => new(mapRunArn, state.Name, status, _total, _succeeded, _failed, 0)
    {
        ItemsSucceeded = _itemsSucceeded,
        ItemsFailed = _itemsFailed,
    };

    private static async Task Drain(List<Task> inFlight)
    {
        try
        {
            await Task.WhenAll(inFlight);
        }
        catch (OperationCanceledException)
        {
            // children cancelled because the run failed
        }
    }

    private async Task Complete(long index, JsonValue input, ValueTask<Evaluated> child, List<(long, JsonValue)>? results, ResultFiles? files, string mapRunId)
    {
        var outcome = await child;
        lock (_gate)
        {
            Record(index, input, outcome, results, files, mapRunId);
        }
    }

    private static readonly JsonObject Included = new JsonObjectBuilder(1).Set("Included", true).Build();

    private void Record(long index, JsonValue input, Evaluated outcome, List<(long, JsonValue)>? results, ResultFiles? files, string mapRunId)
    {
        var items = state.ItemBatcher is not null && (input as JsonObject)?["Items"] is JsonArray batch ? batch.Count : 1;
        _options.ChildCounter?.Add(items);
        if (outcome.Failed)
        {
            _failed++;
            _itemsFailed += items;
            _firstFailure ??= outcome.Error;
        }
        else
        {
            _succeeded++;
            _itemsSucceeded += items;
            results?.Add((index, outcome.Value));
        }
        if (files is null)
        {
            return;
        }
        var transformation = state.ResultWriter!.Transformation;
        if (!outcome.Failed && transformation != "NONE")
        {
            if (transformation == "FLATTEN" && outcome.Value is JsonArray elements)
            {
                foreach (var element in elements)
                {
                    files.AddValue("SUCCEEDED", element);
                }
            }
            else
            {
                files.AddValue("SUCCEEDED", outcome.Value);
            }
            return;
        }
        var entry = new JsonObjectBuilder(8)
            .Set("ExecutionArn", $"arn:aws:states:{_options.Region}:{_options.AccountId}:execution:{_options.StateMachineName}/{state.Label ?? state.Name}:{mapRunId}-{index}")
            .Set("InputDetails", Included)
            .Set("Name", $"{mapRunId}-{index}")
            .Set("Status", outcome.Failed ? "FAILED" : "SUCCEEDED");
        if (outcome.Failed)
        {
            entry.Set("Error", outcome.Error!.Error).Set("Cause", outcome.Error.Cause ?? string.Empty);
            files.Add("FAILED", entry.Build(), ("Input", input));
        }
        else
        {
            entry.Set("OutputDetails", Included);
            files.Add("SUCCEEDED", entry.Build(), ("Input", input), ("Output", outcome.Value));
        }
    }

    /// <summary>One child execution: its own execution context, no access to the parent's variables, no history of its own.</summary>
    private ValueTask<Evaluated> RunChildAsync(long index, JsonValue input, string mapRunId, ExecutionOptions childOptions, CancellationToken cancellationToken)
    {
        var childRun = new ExecutionRun(run.Run.Machine, input, childOptions, $"{mapRunId}-{index}");
        var frame = new Frame(childRun, new VariableScope(null), 0);
        return GraphRunner.RunAsync(state.ItemProcessor!, input, frame, cancellationToken);
    }

    private async IAsyncEnumerable<JsonValue> Items(PathRoots roots, long? maxItems, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (state.ItemReader is null)
        {
            var items = state.ItemsPath is null ? roots.Input : state.ItemsPath.TryEvaluate(roots, out var selected) ? selected : null;
            if (items is not JsonArray array)
            {
                throw new ItemReaderException($"The Map state '{state.Name}' has no ItemReader and its ItemsPath does not select an array.");
            }
            foreach (var item in array)
            {
                yield return item;
            }
            yield break;
        }
        if (_options.ObjectStore is null)
        {
            throw new ItemReaderException("No object store is configured for this execution, so the ItemReader has nothing to read from.");
        }
        var parameters = state.ItemReader.Parameters?.Evaluate(roots) ?? JsonObject.Empty;
        if (parameters.Failed || parameters.Value is not JsonObject p)
        {
            throw new ItemReaderException(parameters.Error?.Cause ?? "The ItemReader's Parameters must be an object.");
        }
        await foreach (var item in state.ItemReader.ReadAsync(_options.ObjectStore, p, maxItems, cancellationToken))
        {
            yield return item;
        }
    }

    /// <summary>Applies ItemSelector, then groups into batches when an ItemBatcher is set.</summary>
    private async IAsyncEnumerable<Evaluated> Batches(IAsyncEnumerable<JsonValue> items, PathRoots roots, long maxBatchItems, long maxBatchBytes)
    {
        long index = 0;
        List<JsonValue>? batch = state.ItemBatcher is null ? null : [];
        long batchBytes = 0;
        JsonValue? batchInput = null;
        if (state.ItemBatcher?.BatchInput is { } template)
        {
            var evaluated = template.Evaluate(roots);
            if (evaluated.Failed)
            {
                yield return evaluated;
                yield break;
            }
            batchInput = evaluated.Value;
        }
        var scope = new MapItemScope(run);
        await foreach (var item in items)
        {
            var selected = state.ItemSelector is null
                ? Evaluated.Ok(item)
                : state.ItemSelector.Evaluate(new PathRoots(effectiveInput, scope.At(item, (int)Math.Min(index, int.MaxValue))));
            index++;
            if (selected.Failed || batch is null)
            {
                yield return selected;
                if (selected.Failed)
                {
                    yield break;
                }
                continue;
            }
            var size = selected.Value.Utf8Size;
            if (batch.Count > 0 && (batch.Count >= maxBatchItems || batchBytes + size > maxBatchBytes))
            {
                yield return BatchOf(batch, batchInput);
                batch = [];
                batchBytes = 0;
            }
            batch.Add(selected.Value);
            batchBytes += size + 1;
        }
        if (batch is { Count: > 0 })
        {
            yield return BatchOf(batch, batchInput);
        }
    }

    private static JsonObject BatchOf(List<JsonValue> items, JsonValue? batchInput)
    {
        var builder = new JsonObjectBuilder(2);
        if (batchInput is not null)
        {
            builder.Set("BatchInput", batchInput);
        }
        return builder.Set("Items", new JsonArray([.. items])).Build();
    }

    private Evaluated ResolveResultWriter(PathRoots roots)
    {
        if (state.ResultWriter is null)
        {
            return JsonValue.Null;
        }
        if (_options.ObjectStore is null)
        {
            return new StatesError(ErrorNames.ResultWriterFailed, "No object store is configured for this execution, so the ResultWriter has nowhere to write.");
        }
        var parameters = state.ResultWriter.Parameters!.Evaluate(roots);
        if (parameters.Failed)
        {
            return parameters;
        }
        return parameters.Value is JsonObject { } p && p["Bucket"] is JsonString
            ? p
            : new StatesError(ErrorNames.ResultWriterFailed, "The ResultWriter's Parameters need a Bucket.");
    }
}
