using System.IO.Compression;
using System.Runtime.CompilerServices;
using OrderFlow.Json;
using OrderFlow.States.Model;
using OrderFlow.States.Parsing;
using OrderFlow.States.Paths;

namespace OrderFlow.States.Distributed;

/// <summary>
/// A Distributed Map's ItemReader (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html):
/// a JSON, JSON Lines, CSV or S3 inventory MANIFEST object read with <c>s3:getObject</c>, or the objects under a
/// prefix listed with <c>s3:listObjectsV2</c>. Items stream: none is read before it is needed.
/// </summary>
public sealed class ItemReaderSpec
{
    private static readonly HashSet<string> Fields = ["Resource", "Parameters", "ReaderConfig"];
    private static readonly HashSet<string> ConfigFields = ["InputType", "CSVHeaderLocation", "CSVHeaders", "CSVDelimiter", "MaxItems", "MaxItemsPath", "ItemsPointer"];
    private static readonly Dictionary<string, char> Delimiters = new() { ["COMMA"] = ',', ["PIPE"] = '|', ["SEMICOLON"] = ';', ["SPACE"] = ' ', ["TAB"] = '\t' };

    internal ItemReaderSpec(FieldReader reader)
    {
        reader.RejectUnknown(Fields, "an ItemReader");
        Resource = reader.String("Resource", required: true) ?? string.Empty;
        Parameters = reader.Template("Parameters");
        var config = reader.ObjectField("ReaderConfig");
        var c = new FieldReader(config ?? JsonObject.Empty, reader.At("ReaderConfig"), reader.Problems);
        c.RejectUnknown(ConfigFields, "a ReaderConfig");
        InputType = c.String("InputType");
        MaxItems = c.Integer("MaxItems", min: 0);
        MaxItemsPath = c.Path("MaxItemsPath", reference: true);
        ItemsPointer = c.String("ItemsPointer");
        Delimiter = c.String("CSVDelimiter") is { } d ? Delimiters.GetValueOrDefault(d, '\0') : ',';
        if (Delimiter == '\0')
        {
            c.Problem("CSVDelimiter", $"must be one of {string.Join(", ", Delimiters.Keys)}");
        }
        var headerLocation = c.String("CSVHeaderLocation") ?? "FIRST_ROW";
        if (headerLocation == "GIVEN")
        {
            Headers = c.Array("CSVHeaders", required: true)?.Select(h => (h as JsonString)?.Value ?? string.Empty).ToArray();
        }
        else if (headerLocation != "FIRST_ROW")
        {
            c.Problem("CSVHeaderLocation", "must be FIRST_ROW or GIVEN");
        }
        switch (Resource)
        {
            case "arn:aws:states:::s3:getObject":
                if (InputType is not ("JSON" or "JSONL" or "CSV" or "MANIFEST"))
                {
                    c.Problem("InputType", InputType is "PARQUET"
                        ? "PARQUET is not supported by the OrderFlow engine; use JSON, JSONL, CSV or MANIFEST"
                        : "is required with s3:getObject: JSON, JSONL, CSV or MANIFEST");
                }
                break;
            case "arn:aws:states:::s3:listObjectsV2":
                break;
            default:
                reader.Problem("Resource", "must be arn:aws:states:::s3:getObject or arn:aws:states:::s3:listObjectsV2");
                break;
        }
    }

    public string Resource { get; }

    public PayloadTemplate? Parameters { get; }

    public string? InputType { get; }

    public long? MaxItems { get; }

    public JsonPath? MaxItemsPath { get; }

    public string? ItemsPointer { get; }

    public char Delimiter { get; }

    public IReadOnlyList<string>? Headers { get; }

    /// <summary>The items, streamed from the store. Errors surface as <see cref="ItemReaderException"/>.</summary>
    internal async IAsyncEnumerable<JsonValue> ReadAsync(IObjectStore store, JsonObject parameters, long? maxItems, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var bucket = (parameters["Bucket"] as JsonString)?.Value ?? throw new ItemReaderException("The ItemReader's Parameters need a Bucket.");
        var items = Resource.EndsWith("listObjectsV2", StringComparison.Ordinal)
            ? List(store, bucket, (parameters["Prefix"] as JsonString)?.Value, cancellationToken)
            : ReadObjectAsync(store, bucket, (parameters["Key"] as JsonString)?.Value ?? throw new ItemReaderException("The ItemReader's Parameters need a Key."), cancellationToken);
        long count = 0;
        await foreach (var item in items.WithCancellation(cancellationToken))
        {
            if (maxItems is { } max && max > 0 && count >= max)
            {
                yield break;
            }
            count++;
            yield return item;
        }
    }

    private static async IAsyncEnumerable<JsonValue> List(IObjectStore store, string bucket, string? prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entry in store.ListAsync(bucket, prefix, cancellationToken))
        {
            yield return entry;
        }
    }

    private async IAsyncEnumerable<JsonValue> ReadObjectAsync(IObjectStore store, string bucket, string key, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var opened = await store.OpenReadAsync(bucket, key, cancellationToken);
        if (opened.Content is null)
        {
            throw new ItemReaderException($"Cannot read s3://{bucket}/{key}: {opened.Error}");
        }
        await using var content = opened.Content;
        var items = InputType switch
        {
            "JSON" => JsonArrayStream.ReadAsync(content, ItemsPointer, cancellationToken),
            "JSONL" => JsonLinesReader.ReadAsync(content, cancellationToken),
            "CSV" => LineReaders.CsvAsync(content, Delimiter, Headers, cancellationToken),
            _ => ManifestAsync(store, content, cancellationToken),
        };
        await foreach (var item in items)
        {
            yield return item;
        }
    }

    /// <summary>An S3 inventory manifest: its CSV (optionally gzip'd) files, each row an object named by fileSchema.</summary>
    private static async IAsyncEnumerable<JsonValue> ManifestAsync(IObjectStore store, Stream manifestStream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        JsonObject manifest;
        using (var reader = new StreamReader(manifestStream))
        {
            try
            {
                manifest = JsonValue.Parse(await reader.ReadToEndAsync(cancellationToken)) as JsonObject ?? throw new ItemReaderException("The manifest is not a JSON object.");
            }
            catch (JsonParseException ex)
            {
                throw new ItemReaderException($"The manifest is not valid JSON: {ex.Message}");
            }
        }
        var sourceBucket = (manifest["destinationBucket"] as JsonString)?.Value?.Replace("arn:aws:s3:::", string.Empty, StringComparison.Ordinal)
            ?? (manifest["sourceBucket"] as JsonString)?.Value ?? throw new ItemReaderException("The manifest names no destinationBucket.");
        var schema = ((manifest["fileSchema"] as JsonString)?.Value ?? "Bucket, Key").Split(',', StringSplitOptions.TrimEntries);
        foreach (var file in (manifest["files"] as JsonArray ?? JsonArray.Empty).OfType<JsonObject>())
        {
            var key = (file["key"] as JsonString)?.Value ?? throw new ItemReaderException("A manifest file entry has no key.");
            var opened = await store.OpenReadAsync(sourceBucket, key, cancellationToken);
            if (opened.Content is null)
            {
                throw new ItemReaderException($"Cannot read inventory file s3://{sourceBucket}/{key}: {opened.Error}");
            }
            await using var content = key.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(opened.Content, CompressionMode.Decompress) : opened.Content;
            await foreach (var row in LineReaders.CsvAsync(content, ',', schema, cancellationToken))
            {
                yield return row;
            }
        }
    }
}
