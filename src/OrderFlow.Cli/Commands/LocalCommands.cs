using System.CommandLine;
using OrderFlow.Events.S3;
using OrderFlow.Json;
using OrderFlow.Local;
using OrderFlow.Local.Manifest;

namespace OrderFlow.Cli.Commands;

/// <summary>
/// The embedded services from the command line, mirroring the <c>aws</c> CLI: <c>init</c>, <c>s3 cp</c>,
/// <c>dynamodb scan</c>, <c>sqs receive</c>. All take <c>--data-dir</c> (default <c>$ORDERFLOW_DATA_DIR</c> or
/// <c>./.orderflow</c>).
/// </summary>
internal static class LocalCommands
{
    public static IEnumerable<Command> Create() => [CreateInit(), CreateS3(), CreateDynamoDb(), CreateSqs()];

    private static Command CreateInit()
    {
        var manifest = new Option<string?>("--manifest")
        {
            Description = "The resource manifest. Default: the order pipeline's, shipped inside the command (written to DATA/definitions, as process does).",
        };
        var dataDir = CliHost.DataDirOption();
        var command = new Command("init", "Create the resources declared in a manifest (buckets, tables, queues, functions, state machines, rules). Idempotent.")
        {
            manifest, dataDir,
        };
        command.SetAction(async (parse, ct) =>
        {
            await using var cloud = CliHost.OpenCloud(parse.GetValue(dataDir));
            var path = parse.GetValue(manifest) ?? await PipelineSetup.WriteShippedDefinitionsAsync(cloud, ct);
            ResourceManifest loaded;
            try
            {
                loaded = ResourceManifest.Load(path);
            }
            catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync(ex is FormatException ? ex.Message : $"Cannot read the manifest '{path}': {ex.Message}");
                return CliHost.Invalid;
            }
            try
            {
                var created = await cloud.InitAsync(loaded, ct);
                foreach (var resource in created)
                {
                    await Console.Out.WriteLineAsync($"ready: {resource}");
                }
                await Console.Out.WriteLineAsync($"{created.Count} resource(s) ready in {cloud.DataDirectory}");
                return CliHost.Ok;
            }
            catch (Exception ex) when (ex is InvalidOperationException or OrderFlow.Events.Patterns.InvalidEventPatternException)
            {
                await Console.Error.WriteLineAsync(ex.Message);
                return CliHost.Invalid;
            }
        });
        return command;
    }

    private static Command CreateS3()
    {
        var source = new Argument<string>("source") { Description = "The local file." };
        var target = new Argument<string>("target") { Description = "s3://BUCKET/KEY" };
        var wait = new Option<bool>("--wait") { Description = "Wait for the executions the object's event starts, and print their statuses." };
        var dataDir = CliHost.DataDirOption();
        var cp = new Command("cp", "Put a local file into a bucket; its \"Object Created\" event starts the matching rules' executions.") { source, target, wait, dataDir };
        cp.SetAction(async (parse, ct) =>
        {
            var (from, to) = (parse.GetValue(source)!, parse.GetValue(target)!);
            if (!S3ListRemove.TryParse(to, keyRequired: true, out var bucket, out var key))
            {
                await Console.Error.WriteLineAsync($"The target must be s3://BUCKET/KEY, not {to}");
                return CliHost.Invalid;
            }
            if (!File.Exists(from))
            {
                await Console.Error.WriteLineAsync($"The file does not exist: {from}");
                return CliHost.Invalid;
            }
            await using var cloud = CliHost.OpenCloud(parse.GetValue(dataDir));
            await using (var file = File.OpenRead(from))
            {
                var put = await cloud.Buckets.PutObjectAsync(bucket, key, file, ContentType(from), S3CreateReason.PutObject, ct);
                if (put.Failed)
                {
                    await Console.Error.WriteLineAsync($"upload failed: {put.Error!.Code}: {put.Error.Message}");
                    return CliHost.Failed;
                }
            }
            await Console.Out.WriteLineAsync($"upload: {from} to {to}");
            // There is no background service: the executions finish before the process ends, --wait or not.
            var failed = false;
            foreach (var execution in cloud.TakeStartedExecutions())
            {
                var result = await execution;
                if (result.Failed)
                {
                    failed = true;
                    if (parse.GetValue(wait))
                    {
                        await Console.Out.WriteLineAsync($"execution not started: {result.Error!.Code}: {result.Error.Message}");
                    }
                    continue;
                }
                failed |= result.Value.Status != OrderFlow.States.Execution.ExecutionStatus.Succeeded;
                if (parse.GetValue(wait))
                {
                    var line = $"execution: {result.Value.ExecutionArn} {result.Value.StatusText}";
                    await Console.Out.WriteLineAsync(result.Value.Error is { } e ? $"{line} {e.Error}: {e.Cause}" : line);
                }
            }
            return failed && parse.GetValue(wait) ? CliHost.Failed : CliHost.Ok;
        });
        var s3 = new Command("s3", "The embedded buckets, as `aws s3`.");
        s3.Subcommands.Add(cp);
        s3.Subcommands.Add(S3ListRemove.CreateList());
        s3.Subcommands.Add(S3ListRemove.CreateRemove());
        return s3;
    }

    private static string ContentType(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".json" => "application/json",
        ".jsonl" or ".ndjson" => "application/x-ndjson",
        ".csv" => "text/csv",
        ".txt" => "text/plain",
        _ => "binary/octet-stream",
    };

    private static Command CreateDynamoDb()
    {
        var table = new Option<string>("--table") { Description = "The table name.", Required = true };
        var dataDir = CliHost.DataDirOption();
        var scan = new Command("scan", "Print every item of a table as {\"Items\":[...],\"Count\":N,\"ScannedCount\":N}, in DynamoDB JSON.") { table, dataDir };
        scan.SetAction(async (parse, ct) =>
        {
            await using var cloud = CliHost.OpenCloud(parse.GetValue(dataDir));
            await using var stdout = new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false), 1 << 16);
            var output = new ScanOutput(stdout);
            var error = await TableScan.ForEachPageAsync(cloud.Tables, parse.GetValue(table)!, null, page =>
            {
                output.Write(page);
                return true;
            }, ct);
            if (error is not null)
            {
                // A Scan fails on its first page (no such table), before anything is written; should a later page fail,
                // the output so far is cut short, and the exit code says so.
                await Console.Error.WriteLineAsync($"An error occurred ({error.Code}) when calling the Scan operation: {error.Message}");
                return CliHost.Failed;
            }
            output.End();
            return CliHost.Ok;
        });
        var dynamodb = new Command("dynamodb", "The embedded table, as `aws dynamodb`.");
        dynamodb.Subcommands.Add(scan);
        return dynamodb;
    }

    private static Command CreateSqs()
    {
        var queue = new Option<string>("--queue") { Description = "The queue name, URL or ARN.", Required = true };
        var max = new Option<int>("--max") { Description = "Messages to receive, 1 to 10. Default: 1.", DefaultValueFactory = _ => 1 };
        var dataDir = CliHost.DataDirOption();
        var receive = new Command("receive", "Receive messages as `aws sqs receive-message` does: {\"Messages\":[{\"MessageId\",\"Body\",...}]}. They stay hidden for the visibility timeout.")
        {
            queue, max, dataDir,
        };
        receive.SetAction(async (parse, ct) =>
        {
            await using var cloud = CliHost.OpenCloud(parse.GetValue(dataDir));
            var name = parse.GetValue(queue)!;
            var request = new JsonObjectBuilder(2).Set("QueueUrl", name).Set("MaxNumberOfMessages", parse.GetValue(max)).Build();
            var result = await cloud.Queues.ExecuteAsync("ReceiveMessage", request, ct);
            if (result.Failed)
            {
                await Console.Error.WriteLineAsync($"An error occurred ({result.Error!.Code}) when calling the ReceiveMessage operation: {result.Error.Message}");
                return result.Error.Code == "InvalidParameterValue" ? CliHost.Invalid : CliHost.Failed;
            }
            await Console.Out.WriteLineAsync(result.Value.ToIndentedJsonString());
            return CliHost.Ok;
        });
        var sqs = new Command("sqs", "The embedded queues, as `aws sqs`.");
        sqs.Subcommands.Add(receive);
        return sqs;
    }
}
