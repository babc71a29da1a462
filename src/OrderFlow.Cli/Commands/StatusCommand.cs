using System.CommandLine;
using System.Globalization;
using OrderFlow.Json;
using OrderFlow.Local;

namespace OrderFlow.Cli.Commands;

/// <summary>
/// <c>orderflow status</c>: what a data directory holds at a glance: its size on disk and where it goes, the orders
/// stored, the rejected orders waiting in the queue, and the executions by status with the latest one.
/// </summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object: dataDirectory, bytes {database, log, buckets, other, total}, orders, rejected, executions {STATUS: count}, latest." };
        var dataDir = CliHost.DataDirOption();
        var command = new Command("status", "Show what the data directory holds: its size on disk, the orders stored, the rejected orders in the queue, the executions by status.") { json, dataDir };
        command.SetAction(async (parse, ct) =>
        {
            var directory = OrderFlow.Local.LocalCloudOptions.ResolveDataDirectory(parse.GetValue(dataDir));
            // Looking must not create: a data directory that is not there yet is said so.
            if (!File.Exists(Path.Combine(directory, "orderflow.db")))
            {
                await Console.Error.WriteLineAsync($"No data directory at {Path.GetFullPath(directory)} yet: orderflow process FILE creates it (or give --data-dir).");
                return CliHost.Failed;
            }
            await using var cloud = CliHost.OpenCloud(directory);
            var status = Read(cloud);
            await Console.Out.WriteLineAsync(parse.GetValue(json) ? status.ToJsonString() : Describe(status));
            return CliHost.Ok;
        });
        return command;
    }

    private static JsonObject Read(LocalCloud cloud)
    {
        var bytes = Usage(cloud.DataDirectory);
        // Zero for a table or a queue not created yet.
        var orders = cloud.Tables.CountItems(PipelineSetup.OrdersTable);
        var (visible, inFlight) = cloud.Queues.CountMessages(PipelineSetup.RejectedQueue);
        var executions = cloud.StateMachines.CountExecutions();
        var newest = cloud.StateMachines.ListExecutions(limit: 1);
        var latest = newest.Count > 0 ? newest[0] : null;
        return new JsonObjectBuilder(7)
            .Set("dataDirectory", Path.GetFullPath(cloud.DataDirectory))
            .Set("bytes", bytes)
            .Set("orders", orders)
            .Set("rejected", visible + inFlight)
            .Set("executions", JsonObject.Create(executions.Select(e => new KeyValuePair<string, JsonValue>(e.Key, JsonNumber.FromInt64(e.Value)))))
            .Set("latest", latest is null ? JsonValue.Null : new JsonObjectBuilder(4)
                .Set("name", latest.Name)
                .Set("status", latest.Status)
                .Set("startDate", latest.StartDate.ToString("O", CultureInfo.InvariantCulture))
                .Set("stateMachine", latest.StateMachine)
                .Build())
            .Build();
    }

    // Where the data directory's bytes are: SQLite's database and its log, the buckets' objects (copies of the files
    // processed, and result files), anything else (definitions, the watch journal).
    private static JsonObject Usage(string directory)
    {
        long database = 0, log = 0, buckets = 0, other = 0;
        var bucketsFolder = Path.GetFullPath(Path.Combine(directory, "buckets")) + Path.DirectorySeparatorChar;
        foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            var length = file.Length;
            if (file.FullName.StartsWith(bucketsFolder, StringComparison.Ordinal))
            {
                buckets += length;
            }
            else if (file.Name == "orderflow.db")
            {
                database += length;
            }
            else if (file.Name is "orderflow.db-wal" or "orderflow.db-shm")
            {
                log += length;
            }
            else
            {
                other += length;
            }
        }
        return new JsonObjectBuilder(5).Set("database", database).Set("log", log).Set("buckets", buckets).Set("other", other)
            .Set("total", database + log + buckets + other).Build();
    }

    private static string Describe(JsonObject status)
    {
        var bytes = (JsonObject)status["bytes"]!;
        long N(JsonObject o, string name) => (long)((JsonNumber)o[name]!).Value;
        var executions = (JsonObject)status["executions"]!;
        var total = executions.Members.Sum(m => (long)((JsonNumber)m.Value).Value);
        var lines = new List<string>
        {
            $"data directory {((JsonString)status["dataDirectory"]!).Value}: {Size(N(bytes, "total"))} on disk "
                + $"(database {Size(N(bytes, "database") + N(bytes, "log"))}, buckets {Size(N(bytes, "buckets"))}: orderflow s3 ls s3://{PipelineSetup.InboxBucket})",
            string.Create(CultureInfo.InvariantCulture, $"orders stored {N(status, "orders"):N0} (orderflow orders list, orderflow sales)"),
            string.Create(CultureInfo.InvariantCulture, $"rejected orders {N(status, "rejected"):N0} in the queue {PipelineSetup.RejectedQueue}{(N(status, "rejected") > 0 ? " (orderflow dlq summary)" : string.Empty)}"),
            string.Create(CultureInfo.InvariantCulture, $"executions {total:N0}")
                + (total == 0 ? string.Empty : $" ({string.Join(", ", executions.Members.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key} {(long)((JsonNumber)m.Value).Value:N0}")))})"),
        };
        if (status["latest"] is JsonObject latest)
        {
            var started = DateTimeOffset.Parse(((JsonString)latest["startDate"]!).Value, CultureInfo.InvariantCulture).UtcDateTime;
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"latest execution {((JsonString)latest["status"]!).Value} {((JsonString)latest["name"]!).Value}, started {started:yyyy-MM-dd HH:mm:ss} UTC (orderflow executions show NAME)"));
        }
        return string.Join(Environment.NewLine, lines);
    }

    private static string Size(long bytes) => bytes switch
    {
        < 1 << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1 << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F1} KiB"),
        < 1 << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):F1} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):F2} GiB"),
    };
}
