using OrderFlow.Json;
using OrderFlow.States.Model;
using OrderFlow.States.Parsing;
using OrderFlow.States.Paths;

namespace OrderFlow.States.Distributed;

/// <summary>
/// ItemBatcher: groups items into batches of at most MaxItemsPerBatch items and MaxInputBytesPerBatch bytes; each
/// child execution gets <c>{"BatchInput": ..., "Items": [...]}</c>
/// (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itembatcher.html).
/// </summary>
public sealed class ItemBatcherSpec
{
    private static readonly HashSet<string> Fields = ["MaxItemsPerBatch", "MaxItemsPerBatchPath", "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath", "BatchInput"];

    /// <summary>The most bytes a batch may hold: 256 KiB, the payload quota.</summary>
    public const int MaxBytes = 256 * 1024;

    internal ItemBatcherSpec(FieldReader reader)
    {
        reader.RejectUnknown(Fields, "an ItemBatcher");
        MaxItemsPerBatch = reader.Integer("MaxItemsPerBatch", min: 1);
        MaxItemsPerBatchPath = reader.Path("MaxItemsPerBatchPath", reference: true);
        MaxInputBytesPerBatch = reader.Integer("MaxInputBytesPerBatch", min: 1);
        MaxInputBytesPerBatchPath = reader.Path("MaxInputBytesPerBatchPath", reference: true);
        BatchInput = reader.Template("BatchInput");
        if (MaxInputBytesPerBatch > MaxBytes)
        {
            reader.Problem("MaxInputBytesPerBatch", $"must be at most {MaxBytes}");
        }
        if (MaxItemsPerBatch is null && MaxItemsPerBatchPath is null && MaxInputBytesPerBatch is null && MaxInputBytesPerBatchPath is null)
        {
            reader.Problem(string.Empty, "an ItemBatcher needs MaxItemsPerBatch(Path) or MaxInputBytesPerBatch(Path)");
        }
    }

    public long? MaxItemsPerBatch { get; }

    public JsonPath? MaxItemsPerBatchPath { get; }

    public long? MaxInputBytesPerBatch { get; }

    public JsonPath? MaxInputBytesPerBatchPath { get; }

    public PayloadTemplate? BatchInput { get; }
}

/// <summary>
/// ResultWriter: where a Distributed Map writes its child executions' results, as files in a bucket under
/// <c>Prefix/MapRunId/</c>: <c>manifest.json</c>, <c>SUCCEEDED_n.json</c>, <c>FAILED_n.json</c>, <c>PENDING_n.json</c>
/// (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html).
/// </summary>
public sealed class ResultWriterSpec
{
    private static readonly HashSet<string> Fields = ["Resource", "Parameters", "WriterConfig"];
    private static readonly HashSet<string> WriterConfigFields = ["Transformation", "OutputType"];

    internal ResultWriterSpec(FieldReader reader)
    {
        reader.RejectUnknown(Fields, "a ResultWriter");
        var resource = reader.String("Resource", required: true);
        if (resource is not null and not "arn:aws:states:::s3:putObject")
        {
            reader.Problem("Resource", "must be arn:aws:states:::s3:putObject");
        }
        Parameters = reader.Template("Parameters");
        if (!reader.Has("Parameters"))
        {
            reader.Problem("Parameters", "is required: give the Bucket and Prefix to write the results to");
        }
        if (reader.ObjectField("WriterConfig") is { } config)
        {
            var c = new FieldReader(config, reader.At("WriterConfig"), reader.Problems);
            c.RejectUnknown(WriterConfigFields, "a WriterConfig");
            Transformation = c.String("Transformation") ?? "NONE";
            if (Transformation is not ("NONE" or "COMPACT" or "FLATTEN"))
            {
                c.Problem("Transformation", "must be NONE, COMPACT or FLATTEN");
            }
            // OutputType JSONL is AWS's too; the embedded engine writes JSON arrays only, and says so.
            if (c.String("OutputType") is { } outputType and not "JSON")
            {
                c.Problem("OutputType", outputType == "JSONL" ? "JSONL is not supported by OrderFlow's engine yet: use JSON" : "must be JSON or JSONL");
            }
        }
    }

    public PayloadTemplate? Parameters { get; }

    /// <summary>
    /// WriterConfig.Transformation. NONE (the default with Resource and Parameters): each succeeded entry carries the
    /// child's metadata, Input and Output as JSON text. COMPACT: a succeeded entry is the child's output itself.
    /// FLATTEN: as COMPACT, an output that is an array giving one entry per element. Failed children are always
    /// written as with NONE.
    /// </summary>
    public string Transformation { get; } = "NONE";
}

/// <summary>ToleratedFailureCount/Percentage (and their Path forms): how many failed items a Map run survives.</summary>
public sealed class ToleranceSpec
{
    internal ToleranceSpec(FieldReader reader)
    {
        Count = reader.Integer("ToleratedFailureCount", min: 0);
        CountPath = reader.Path("ToleratedFailureCountPath", reference: true);
        Percentage = reader.Number("ToleratedFailurePercentage");
        PercentagePath = reader.Path("ToleratedFailurePercentagePath", reference: true);
        if (Percentage is < 0 or > 100)
        {
            reader.Problem("ToleratedFailurePercentage", "must be between 0 and 100");
        }
    }

    public long? Count { get; }

    public JsonPath? CountPath { get; }

    public double? Percentage { get; }

    public JsonPath? PercentagePath { get; }
}
