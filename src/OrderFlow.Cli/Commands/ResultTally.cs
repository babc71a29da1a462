using OrderFlow.Json;
using OrderFlow.Local;
using OrderFlow.States.Execution;

namespace OrderFlow.Cli.Commands;

/// <summary>Reads a pipeline execution's ResultWriter files, streaming, and counts each order's outcome.</summary>
internal static class ResultTally
{
    /// <summary>Adds the execution's outcomes to the tally; returns an error when the results cannot be read.</summary>
    public static async Task<string?> AddAsync(LocalCloud cloud, ExecutionResult result, Tally tally, CancellationToken cancellationToken)
    {
        if ((result.Output as JsonObject)?["ResultWriterDetails"] is not JsonObject details)
        {
            return "the execution produced no result files";
        }
        var bucket = ((JsonString)details["Bucket"]!).Value;
        var manifest = await ReadJsonAsync(cloud, bucket, ((JsonString)details["Key"]!).Value, cancellationToken);
        if (manifest is not JsonObject m || m["ResultFiles"] is not JsonObject files)
        {
            return "the result manifest cannot be read";
        }
        foreach (var status in new[] { "SUCCEEDED", "FAILED" })
        {
            foreach (var file in (files[status] as JsonArray ?? JsonArray.Empty).Cast<JsonObject>())
            {
                var opened = await cloud.ObjectStore.OpenReadAsync(bucket, ((JsonString)file["Key"]!).Value, cancellationToken);
                if (opened.Error is { } error)
                {
                    return $"result file {file["Key"]}: {error}";
                }
                await using var stream = opened.Content!;
                await CountAsync(stream, status == "SUCCEEDED", tally, cancellationToken);
            }
        }
        return null;
    }

    private static async Task<JsonValue?> ReadJsonAsync(LocalCloud cloud, string bucket, string key, CancellationToken cancellationToken)
    {
        var opened = await cloud.ObjectStore.OpenReadAsync(bucket, key, cancellationToken);
        if (opened.Error is not null)
        {
            return null;
        }
        await using var stream = opened.Content!;
        using var reader = new StreamReader(stream);
        return JsonValue.Parse(await reader.ReadToEndAsync(cancellationToken));
    }

    /// <summary>
    /// Each entry is (COMPACT) or has as its Output (NONE) the child's result: one order's <c>{"outcome": ..., "reason"?: ...}</c>, or a batch's
    /// <c>{"stored": n, "duplicates": d, "outcomes": [[outcome, ...], ...]}</c> (n orders stored together, d found stored
    /// with the same content together, the others one outcome each; results of versions before 2026-12-03 have no
    /// <c>duplicates</c>).
    /// A failed child fails every order of its input. Entries stream one at a time: a result file of 100,000 orders
    /// never sits in memory whole.
    /// </summary>
    private static async Task CountAsync(Stream stream, bool succeeded, Tally tally, CancellationToken cancellationToken)
    {
        await foreach (var entry in OrderFlow.States.Distributed.JsonArrayStream.ReadAsync(stream, null, cancellationToken))
        {
            if (!succeeded || ChildOutput(entry) is not { } result)
            {
                tally.ChildFailed(OrdersIn(entry));
                continue;
            }
            if (result["stored"] is JsonNumber stored && stored.TryGetInt64(out var count))
            {
                tally.StoredTogether(count);
                if (result["duplicates"] is JsonNumber duplicates && duplicates.TryGetInt64(out var same))
                {
                    tally.DuplicatesTogether(same);
                }
                foreach (var outcome in Flatten(result["outcomes"]))
                {
                    tally.Outcome((outcome["outcome"] as JsonString)?.Value ?? string.Empty, (outcome["reason"] as JsonString)?.Value);
                }
                continue;
            }
            tally.Outcome((result["outcome"] as JsonString)?.Value ?? string.Empty, (result["reason"] as JsonString)?.Value);
        }
    }

    /// <summary>A succeeded entry's output: the entry itself (WriterConfig COMPACT), or its Output text (NONE).</summary>
    private static JsonObject? ChildOutput(JsonValue entry) => entry switch
    {
        JsonObject o when o.ContainsKey("stored") || o.ContainsKey("outcome") => o,
        JsonObject { } o when o["Output"] is JsonString output => JsonValue.Parse(output.Value) as JsonObject,
        _ => null,
    };

    private static IEnumerable<JsonObject> Flatten(JsonValue? outcomes) => outcomes switch
    {
        JsonArray a => a.SelectMany(Flatten),
        JsonObject o => [o],
        _ => [],
    };

    /// <summary>How many orders a child had: a batch's items, else one.</summary>
    private static long OrdersIn(JsonValue entry)
    {
        if ((entry as JsonObject)?["Input"] is not JsonString input)
        {
            return 1;
        }
        try
        {
            return JsonValue.Parse(input.Value) is JsonObject o && o["Items"] is JsonArray items ? items.Count : 1;
        }
        catch (JsonParseException)
        {
            return 1;
        }
    }
}
