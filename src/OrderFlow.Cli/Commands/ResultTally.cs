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
    /// Each entry's Output is the child's result, <c>{"outcome": ..., "reason"?: ...}</c>. Entries stream one at a time:
    /// a result file of 100,000 orders never sits in memory whole.
    /// </summary>
    private static async Task CountAsync(Stream stream, bool succeeded, Tally tally, CancellationToken cancellationToken)
    {
        await foreach (var entry in OrderFlow.States.Distributed.JsonArrayStream.ReadAsync(stream, null, cancellationToken))
        {
            if (!succeeded || (entry as JsonObject)?["Output"] is not JsonString output || JsonValue.Parse(output.Value) is not JsonObject result)
            {
                tally.ChildFailed();
                continue;
            }
            tally.Outcome((result["outcome"] as JsonString)?.Value ?? string.Empty, (result["reason"] as JsonString)?.Value);
        }
    }
}
