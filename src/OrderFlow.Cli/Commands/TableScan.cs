using OrderFlow.Json;
using OrderFlow.Local.Integrations;
using OrderFlow.Local.Storage;

namespace OrderFlow.Cli.Commands;

/// <summary>Reads a table page by page (a Scan returns at most 1 MB a page, embedded or on AWS), never all of it at once.</summary>
internal static class TableScan
{
    /// <summary>
    /// Hands each page's items to <paramref name="page"/> until the table ends or it answers false; the Scan's error
    /// when one fails. <paramref name="limit"/> caps the items of each request (null: as many as a page holds).
    /// </summary>
    public static async Task<ServiceError?> ForEachPageAsync(IServiceApi tables, string table, int? limit, Func<JsonArray, bool> page, CancellationToken cancellationToken)
    {
        // The next page is read while this one is handled (the embedded table reads on the calling thread): two cores.
        var next = Task.Run(() => tables.ExecuteAsync("Scan", Request(table, limit, null), cancellationToken), cancellationToken);
        while (true)
        {
            var result = await next;
            if (result.Failed)
            {
                return result.Error;
            }
            var items = (JsonArray)result.Value["Items"]!;
            if (result.Value["LastEvaluatedKey"] is not { } start)
            {
                page(items);
                return null;
            }
            next = Task.Run(() => tables.ExecuteAsync("Scan", Request(table, limit, start), cancellationToken), cancellationToken);
            if (!page(items))
            {
                // Stopped early: the page read ahead is waited for (and dropped), so that nothing reads on after the caller is done.
                await next;
                return null;
            }
        }
    }

    private static JsonObject Request(string table, int? limit, JsonValue? start)
    {
        var request = new JsonObjectBuilder(3).Set("TableName", table);
        if (limit is { } l)
        {
            request.Set("Limit", l);
        }
        if (start is not null)
        {
            request.Set("ExclusiveStartKey", start);
        }
        return request.Build();
    }
}
