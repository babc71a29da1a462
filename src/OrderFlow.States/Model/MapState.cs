using OrderFlow.States.Distributed;
using OrderFlow.States.Execution;
using OrderFlow.States.History;
using OrderFlow.Json;
using OrderFlow.States.Parsing;
using OrderFlow.States.Paths;

namespace OrderFlow.States.Model;

/// <summary>How a Map state processes its items (https://docs.aws.amazon.com/step-functions/latest/dg/state-map.html).</summary>
public enum MapMode { Inline, Distributed }

/// <summary>
/// A Map state: runs its item processor once per item and collects the outputs in item order
/// (https://states-language.net/spec.html#map-state). Reading the items, selecting each item's input and running the
/// iterations are separate steps, so that the Distributed mode (ItemReader, ItemBatcher, ResultWriter, child
/// executions) plugs in as another item source and result sink without touching the iteration loop.
/// </summary>
public sealed partial class MapState : ErrorHandlingState
{
    internal static readonly HashSet<string> Fields =
    [
        "Type", "Comment", "InputPath", "OutputPath", "Next", "End", "Assign", "ItemProcessor", "Iterator", "ItemsPath",
        "ItemSelector", "Parameters", "MaxConcurrency", "MaxConcurrencyPath", "ItemReader", "ItemBatcher", "ResultWriter",
        "ToleratedFailureCount", "ToleratedFailureCountPath", "ToleratedFailurePercentage", "ToleratedFailurePercentagePath",
        "Label", "ResultSelector", "ResultPath", "Retry", "Catch",
    ];

    private static readonly string[] DistributedOnly =
    [
        "ItemReader", "ItemBatcher", "ResultWriter", "ToleratedFailureCount", "ToleratedFailureCountPath",
        "ToleratedFailurePercentage", "ToleratedFailurePercentagePath", "Label",
    ];

    internal MapState(FieldReader reader, string name, DefinitionParser parser) : base(reader, name)
    {
        ItemsPath = reader.Path("ItemsPath", reference: true);
        if (reader.Has("ItemSelector") && reader.Has("Parameters"))
        {
            reader.Problem("Parameters", "cannot be given together with ItemSelector (Parameters is its deprecated name)");
        }
        ItemSelector = reader.Template("ItemSelector") ?? reader.Template("Parameters");
        MaxConcurrency = (int)(reader.Integer("MaxConcurrency", min: 0) ?? 0);
        MaxConcurrencyPath = reader.Path("MaxConcurrencyPath", reference: true);
        if (reader.Has("MaxConcurrency") && reader.Has("MaxConcurrencyPath"))
        {
            reader.Problem("MaxConcurrencyPath", "cannot be given together with MaxConcurrency");
        }
        ItemProcessor = ReadProcessor(reader, parser, out var mode);
        Mode = mode;
        if (Mode == MapMode.Inline)
        {
            foreach (var field in DistributedOnly.Where(reader.Has))
            {
                reader.Problem(field, "is only valid in a Map state whose ItemProcessor.ProcessorConfig.Mode is DISTRIBUTED");
            }
        }
        else
        {
            ItemReader = reader.ObjectField("ItemReader") is { } itemReader ? new ItemReaderSpec(new FieldReader(itemReader, reader.At("ItemReader"), reader.Problems)) : null;
            ItemBatcher = reader.ObjectField("ItemBatcher") is { } batcher ? new ItemBatcherSpec(new FieldReader(batcher, reader.At("ItemBatcher"), reader.Problems)) : null;
            ResultWriter = reader.ObjectField("ResultWriter") is { } writer ? new ResultWriterSpec(new FieldReader(writer, reader.At("ResultWriter"), reader.Problems)) : null;
            Label = reader.String("Label");
            if (Label is { Length: > 40 } || Label?.Any(c => c is ' ' or '<' or '>' or '{' or '}' or '[' or ']' or '?' or '*' or '"' or '#' or '%' or '\\' or '^' or '|' or '~' or '`' or '$' or '&' or ',' or ';' or ':' or '/') == true)
            {
                reader.Problem("Label", "must be at most 40 characters, without spaces or special characters");
            }
            if (reader.Has("ToleratedFailureCount") && reader.Has("ToleratedFailureCountPath"))
            {
                reader.Problem("ToleratedFailureCountPath", "cannot be given together with ToleratedFailureCount");
            }
        }
        Tolerance = new ToleranceSpec(reader);
        reader.RejectUnknown(Fields, "a Map state");
    }

    private static StateGraph? ReadProcessor(FieldReader reader, DefinitionParser parser, out MapMode mode)
    {
        mode = MapMode.Inline;
        var hasProcessor = reader.Has("ItemProcessor");
        var hasIterator = reader.Has("Iterator");
        if (hasProcessor == hasIterator)
        {
            reader.Problem("ItemProcessor", hasProcessor ? "cannot be given together with Iterator (its deprecated name)" : "is required");
            return null;
        }
        var field = hasProcessor ? "ItemProcessor" : "Iterator";
        var obj = reader.ObjectField(field);
        if (obj is null)
        {
            return null;
        }
        if (obj["ProcessorConfig"] is { } config)
        {
            var configReader = new FieldReader(config as JsonObject ?? JsonObject.Empty, reader.At($"{field}.ProcessorConfig"), reader.Problems);
            if (config is not JsonObject)
            {
                reader.Problem($"{field}.ProcessorConfig", "must be an object");
            }
            configReader.RejectUnknown(ProcessorConfigFields, "ProcessorConfig");
            mode = configReader.String("Mode") switch
            {
                null or "INLINE" => MapMode.Inline,
                "DISTRIBUTED" => MapMode.Distributed,
                var other => InvalidMode(configReader, other),
            };
            var executionType = configReader.String("ExecutionType");
            if (executionType is not null and not ("STANDARD" or "EXPRESS"))
            {
                configReader.Problem("ExecutionType", $"must be STANDARD or EXPRESS, not \"{executionType}\"");
            }
        }
        return parser.ParseGraph(obj, reader.At(field), DefinitionParser.ProcessorFields);
    }

    private static readonly HashSet<string> ProcessorConfigFields = ["Mode", "ExecutionType"];

    private static MapMode InvalidMode(FieldReader reader, string value)
    {
        reader.Problem("Mode", $"must be INLINE or DISTRIBUTED, not \"{value}\"");
        return MapMode.Inline;
    }

    public override string Type => "Map";

    public MapMode Mode { get; }

    public JsonPath? ItemsPath { get; }

    public PayloadTemplate? ItemSelector { get; }

    /// <summary>Upper bound of concurrent iterations; 0 means no bound set by the definition.</summary>
    public int MaxConcurrency { get; }

    public JsonPath? MaxConcurrencyPath { get; }

    public StateGraph? ItemProcessor { get; }

    /// <summary>Where a DISTRIBUTED Map reads its items; null to iterate over the input array.</summary>
    public ItemReaderSpec? ItemReader { get; }

    public ItemBatcherSpec? ItemBatcher { get; }

    public ResultWriterSpec? ResultWriter { get; }

    public ToleranceSpec Tolerance { get; }

    public string? Label { get; }

    /// <summary>Whether the state's output uses the children's results; when it does not, they are not kept.</summary>
    internal bool NeedsResults => ResultSelector is not null || !ResultPath.IsDiscard;

    internal override IEnumerable<StateGraph> ChildGraphs => ItemProcessor is null ? [] : [ItemProcessor];

    private protected override async ValueTask<Evaluated> RunAttemptAsync(StateRun run, JsonValue effectiveInput, CancellationToken cancellationToken)
    {
        if (Mode == MapMode.Distributed)
        {
            return await new DistributedMapRunner(this, run, effectiveInput).RunAsync(cancellationToken);
        }
        var items = InlineItemSource.Read(this, run, effectiveInput);
        if (items.Failed)
        {
            return items;
        }
        var concurrency = ResolveConcurrency(run, effectiveInput);
        if (concurrency.Failed)
        {
            return concurrency;
        }
        var array = (JsonArray)items.Value;
        var frame = run.Frame;
        frame.Record("MapStateStarted", "mapStateStartedEventDetails",
            frame.RecordsHistory ? new JsonObjectBuilder(1).Set("length", array.Count).Build() : null);
        var limit = (int)((JsonNumber)concurrency.Value).Value;
        if (limit == 0)
        {
            limit = run.Run.Options.DefaultMaxConcurrency;
        }
        var (results, error) = await BoundedRunner.RunAsync(array.Count, Math.Max(1, limit),
            (i, ct) => RunIterationAsync(run, effectiveInput, array, i, ct), cancellationToken);
        if (error is not null)
        {
            frame.Record("MapStateFailed");
            return error;
        }
        frame.Record("MapStateSucceeded");
        return new JsonArray(results);
    }

    private Evaluated ResolveConcurrency(StateRun run, JsonValue effectiveInput)
    {
        if (MaxConcurrencyPath is null)
        {
            return JsonNumber.FromInt64(MaxConcurrency);
        }
        if (MaxConcurrencyPath.TryEvaluate(new PathRoots(effectiveInput, run), out var value)
            && value is JsonNumber n && n.TryGetInt64(out var v) && v >= 0)
        {
            return JsonNumber.FromInt64(v);
        }
        return StatesError.Runtime($"The MaxConcurrencyPath '{MaxConcurrencyPath.Text}' must select a non-negative integer");
    }

    private async ValueTask<Evaluated> RunIterationAsync(StateRun run, JsonValue effectiveInput, JsonArray items, int index, CancellationToken cancellationToken)
    {
        var frame = run.Frame;
        var iterationDetails = frame.RecordsHistory ? new JsonObjectBuilder(2).Set("name", Name).Set("index", index).Build() : null;
        frame.Record("MapIterationStarted", "mapIterationStartedEventDetails", iterationDetails);
        var child = frame.Child(frame.LastEventId);
        var itemInput = SelectItem(run, effectiveInput, items[index], index);
        var result = itemInput.Failed ? itemInput : await GraphRunner.RunAsync(ItemProcessor!, itemInput.Value, child, cancellationToken);
        if (result.Failed)
        {
            frame.Record("MapIterationFailed", "mapIterationFailedEventDetails", iterationDetails);
        }
        else
        {
            frame.Record("MapIterationSucceeded", "mapIterationSucceededEventDetails", iterationDetails);
        }
        return result;
    }

    /// <summary>ItemSelector sees the Map's effective input as <c>$</c> and the item as <c>$$.Map.Item.Value</c>.</summary>
    private Evaluated SelectItem(StateRun run, JsonValue effectiveInput, JsonValue item, int index) =>
        ItemSelector is null ? item : ItemSelector.Evaluate(new PathRoots(effectiveInput, new MapItemScope(run, item, index)));
}
