using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using OrderFlow.Json;
using OrderFlow.Local;
using OrderFlow.Local.Integrations;

namespace OrderFlow.Aws.Tests;

/// <summary>
/// The pipeline's end-to-end scenarios through the real <c>orderflow process</c> command, once on the embedded services
/// and once with <c>--backend aws</c> against the protocol peers: the same counts, the same stored orders, the same
/// rejected-order messages.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class PipelineOnBothBackendsTests(ProtocolPeers peers) : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>What a scenario leaves behind: every run's counts, the stored orders, the messages in the rejected-orders queue, and the sales analysis by month (JSON).</summary>
    private sealed record Report(List<string> Runs, long StoredItems, long RejectedMessages, string Sales);

    private async Task<Report> RunAsync(string backend, params string[][] runs)
    {
        var dataDir = _dir.Combine($"data-{backend}");
        if (backend == "aws")
        {
            await ResetPeersAsync();
        }
        var results = new List<string>();
        foreach (var files in runs)
        {
            string[] args = backend == "aws"
                ? ["process", .. files, "--json", "--data-dir", dataDir, "--backend", "aws", "--endpoint-url", peers.S3Sqs.ToString()]
                : ["process", .. files, "--json", "--data-dir", dataDir];
            var result = await CliProcess.RunAsync(null, peers.Environment, args);
            Assert.True(result.ExitCode == 0, $"{backend}: exit {result.ExitCode}: {result.Stderr}{result.Stdout}");
            var summary = (JsonObject)JsonValue.Parse(result.Stdout);
            results.Add(string.Join(' ', new[] { "orders", "stored", "duplicates", "rejected", "failed" }.Select(k => $"{k}={summary[k]}")) + " " + summary["rejectedByReason"]);
        }
        string[] salesArgs = backend == "aws"
            ? ["sales", "--by", "month", "--json", "--data-dir", dataDir, "--backend", "aws", "--endpoint-url", peers.S3Sqs.ToString()]
            : ["sales", "--by", "month", "--json", "--data-dir", dataDir];
        var sales = await CliProcess.RunAsync(null, peers.Environment, salesArgs);
        Assert.True(sales.ExitCode == 0, $"{backend}: sales exit {sales.ExitCode}: {sales.Stderr}");
        if (backend == "aws")
        {
            await using var services = AwsRemoteServices.Factory(peers.Options)((_, _) => Task.CompletedTask);
            return new Report(results, await CountItemsAsync(services.Tables), await CountMessagesAsync(services.Queues), sales.Stdout.Trim());
        }
        await using var cloud = LocalCloud.Open(new LocalCloudOptions { DataDirectory = dataDir });
        return new Report(results, await CountItemsAsync(cloud.Tables), await CountMessagesAsync(cloud.Queues), sales.Stdout.Trim());
    }

    private async Task<Report> OnBothBackends(string expectedFirstRun, params string[][] runs)
    {
        var embedded = await RunAsync("embedded", runs);
        var aws = await RunAsync("aws", runs);
        Assert.Equal(expectedFirstRun, embedded.Runs[0]);
        Assert.Equal(embedded.Runs, aws.Runs);
        Assert.Equal((embedded.StoredItems, embedded.RejectedMessages), (aws.StoredItems, aws.RejectedMessages));
        Assert.Equal(embedded.Sales, aws.Sales);
        Assert.Contains($"\"read\":{embedded.StoredItems},", embedded.Sales, StringComparison.Ordinal);
        return aws;
    }

    [Fact]
    public async Task Process_SeedSample_SameOnBothBackends()
    {
        var report = await OnBothBackends("orders=2 stored=1 duplicates=0 rejected=1 failed=0 {\"invalid\":1}",
            [Path.Combine(AppContext.BaseDirectory, "samples", "seed", "orders.json")]);
        Assert.Equal((1, 1), (report.StoredItems, report.RejectedMessages));

        // The stored order reads back alike through orders get and orders list on both backends.
        string[] aws = ["--backend", "aws", "--endpoint-url", peers.S3Sqs.ToString()];
        var embeddedGet = await CliProcess.RunAsync(null, peers.Environment, "orders", "get", "1", "--data-dir", _dir.Combine("data-embedded"));
        var awsGet = await CliProcess.RunAsync(null, peers.Environment, ["orders", "get", "1", "--data-dir", _dir.Combine("data-aws"), .. aws]);
        Assert.True(awsGet.ExitCode == 0, awsGet.Stderr);
        Assert.Equal(JsonValue.Parse(embeddedGet.Stdout), JsonValue.Parse(awsGet.Stdout));
        var awsList = await CliProcess.RunAsync(null, peers.Environment, ["orders", "list", "--json", "--data-dir", _dir.Combine("data-aws"), .. aws]);
        Assert.True(awsList.ExitCode == 0, awsList.Stderr);
        Assert.Equal(JsonValue.Parse(awsGet.Stdout), JsonValue.Parse(awsList.Stdout.Trim()));
    }

    [Fact]
    public async Task Dlq_OnAws_ListsSummarizesAndShowsTheRejections_AndLeavesThemInTheQueue()
    {
        var file = await GenerateAsync("orders.jsonl", "jsonl", 200, 0.1, "Q-");
        await ResetPeersAsync();
        string[] aws = ["--data-dir", _dir.Combine("data-aws"), "--backend", "aws", "--endpoint-url", peers.S3Sqs.ToString()];
        var beforeAnyRun = await CliProcess.RunAsync(null, peers.Environment, ["dlq", "list", .. aws]);
        Assert.Equal(1, beforeAnyRun.ExitCode);
        Assert.Contains("Cannot read the queue orders-rejected: QueueDoesNotExist", beforeAnyRun.Stderr, StringComparison.Ordinal);
        Assert.Contains("(orderflow process, with the same options, creates it)", beforeAnyRun.Stderr, StringComparison.Ordinal);
        var processed = await CliProcess.RunAsync(null, peers.Environment, ["process", file, .. aws]);
        Assert.True(processed.ExitCode == 0, processed.Stderr);
        Assert.Contains("dlq list (one a line) and dlq show ID, each with the same --backend aws options", processed.Stdout, StringComparison.Ordinal);

        var list = await CliProcess.RunAsync(null, peers.Environment, ["dlq", "list", "--json", "--limit", "1000", .. aws]);
        var summary = await CliProcess.RunAsync(null, peers.Environment, ["dlq", "summary", "--json", .. aws]);
        var again = await CliProcess.RunAsync(null, peers.Environment, ["dlq", "list", "--json", "--limit", "1000", .. aws]);

        Assert.True(list.ExitCode == 0, list.Stderr);
        var listed = list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (JsonObject)JsonValue.Parse(l)).ToList();
        Assert.True(listed.Count == 20, $"{listed.Count}: {list.Stdout} {list.Stderr}");
        Assert.Equal(20, listed.Select(m => m["messageId"]!.ToJsonString()).Distinct().Count());
        Assert.All(listed, m => Assert.StartsWith("orders.jsonl", ((JsonString)((JsonObject)m["source"]!)["key"]!).Value, StringComparison.Ordinal));
        Assert.True(summary.ExitCode == 0, summary.Stderr);
        Assert.Equal(JsonValue.FromNumber(20), ((JsonObject)JsonValue.Parse(summary.Stdout))["rejected"]);
        // Each read made the messages it received visible again: the next read finds them all, and so does show.
        Assert.Equal(20, again.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var id = ((JsonString)listed[7]["messageId"]!).Value;
        var show = await CliProcess.RunAsync(null, peers.Environment, ["dlq", "show", id, .. aws]);
        Assert.True(show.ExitCode == 0, show.Stderr);
        Assert.Equal(listed[7]["order"], ((JsonObject)JsonValue.Parse(show.Stdout))["order"]);
        await using var services = AwsRemoteServices.Factory(peers.Options)((_, _) => Task.CompletedTask);
        Assert.Equal(20, await CountMessagesAsync(services.Queues));
    }

    [Fact]
    public async Task DlqRedrive_OnAws_ReplacesStillRejectedMessages_AndDeletesOneWhoseCorrectedOrderIsStored()
    {
        var file = await GenerateAsync("orders.jsonl", "jsonl", 100, 0.1, "D-");
        await ResetPeersAsync();
        string[] aws = ["--data-dir", _dir.Combine("data-aws"), "--backend", "aws", "--endpoint-url", peers.S3Sqs.ToString()];
        Assert.Equal(0, (await CliProcess.RunAsync(null, peers.Environment, ["process", file, .. aws])).ExitCode);

        var all = await CliProcess.RunAsync(null, peers.Environment, ["dlq", "redrive", "--all", .. aws]);
        var listed = await CliProcess.RunAsync(null, peers.Environment, ["dlq", "list", "--json", .. aws]);
        var messages = listed.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (JsonObject)JsonValue.Parse(l)).ToList();
        var first = messages[0];
        var corrected = _dir.Write("fixed.json", new JsonObjectBuilder(2)
            .Set("order-info", new JsonObjectBuilder(3).Set("OrderId", "D-FIXED").Set("item-id", "sku-1").Set("qty", 1).Build())
            .Set("contact-info", new JsonObjectBuilder(2).Set("name", "Fixed").Set("email", "fixed@example.com").Build()).Build().ToJsonString());
        var one = await CliProcess.RunAsync(null, peers.Environment, ["dlq", "redrive", ((JsonString)first["messageId"]!).Value, "--order", corrected, .. aws]);
        var stored = await CliProcess.RunAsync(null, peers.Environment, ["orders", "get", "D-FIXED", .. aws]);

        // Still invalid: each is rejected again and its message replaced by a new one; none is lost or doubled.
        Assert.Equal(1, all.ExitCode);
        Assert.Contains("redriven 10 order(s): stored 0, already stored 0, still rejected 10", all.Stdout, StringComparison.Ordinal);
        Assert.Equal(10, messages.Count);
        Assert.True(one.ExitCode == 0, one.Stderr + one.Stdout);
        Assert.Contains("stored; the message is deleted", one.Stdout, StringComparison.Ordinal);
        Assert.True(stored.ExitCode == 0, stored.Stderr);
        await using var services = AwsRemoteServices.Factory(peers.Options)((_, _) => Task.CompletedTask);
        Assert.Equal(9, await CountMessagesAsync(services.Queues));
    }

    [Fact]
    public async Task Process_GeneratedFileTwice_SameOnBothBackends_NothingNewTheSecondTime()
    {
        var file = await GenerateAsync("orders.jsonl", "jsonl", 2_000, 0.1, "T-");
        var report = await OnBothBackends("orders=2000 stored=1800 duplicates=0 rejected=200 failed=0 {\"invalid\":200}", [file], [file]);
        Assert.Equal("orders=2000 stored=0 duplicates=1800 rejected=200 failed=0 {\"already rejected\":200}", report.Runs[1]);
        Assert.Equal((1_800, 200), (report.StoredItems, report.RejectedMessages));
    }

    [Fact]
    public async Task Process_EveryFileShapeAndAConflictingDuplicate_SameOnBothBackends()
    {
        string[] files =
        [
            await GenerateAsync("array.json", "json", 100, 0.2, "J-"),
            await GenerateAsync("document.json", "seed", 100, 0.2, "S-"),
            await GenerateAsync("lines.ndjson", "jsonl", 100, 0.2, "L-"),
            await GenerateAsync("table.csv", "csv", 100, 0.2, "C-"),
        ];
        var conflict = _dir.Write("conflict.json", """[{"order-info":{"OrderId":"J-00000001","item-id":"other","qty":7},"contact-info":{"name":"A","email":"a@example.com"}}]""");
        var report = await OnBothBackends("orders=400 stored=320 duplicates=0 rejected=80 failed=0 {\"invalid\":80}", files, [conflict]);
        Assert.Equal("orders=1 stored=0 duplicates=0 rejected=1 failed=0 {\"conflicting duplicate\":1}", report.Runs[1]);
        Assert.Equal((320, 81), (report.StoredItems, report.RejectedMessages));
    }

    private async Task<string> GenerateAsync(string name, string format, int orders, double invalidRate, string prefix)
    {
        var file = _dir.Combine(name);
        var result = await CliProcess.RunAsync(null, "generate", "--orders", orders.ToString(CultureInfo.InvariantCulture), "--invalid-rate",
            invalidRate.ToString(CultureInfo.InvariantCulture), "--format", format, "--seed", "5", "--id-prefix", prefix, "--out", file);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return file;
    }

    private static async Task<long> CountItemsAsync(IServiceApi tables)
    {
        long count = 0;
        JsonValue? start = null;
        do
        {
            var request = new JsonObjectBuilder(3).Set("TableName", "orders").Set("Select", "COUNT");
            if (start is not null)
            {
                request.Set("ExclusiveStartKey", start);
            }
            var page = await tables.ExecuteAsync("Scan", request.Build(), CancellationToken.None);
            Assert.False(page.Failed, page.Error?.Message);
            count += (long)((JsonNumber)page.Value["Count"]!).Value;
            start = page.Value["LastEvaluatedKey"];
        }
        while (start is not null);
        return count;
    }

    private static async Task<long> CountMessagesAsync(IServiceApi queues)
    {
        long count = 0;
        while (true)
        {
            var received = await queues.ExecuteAsync("ReceiveMessage",
                (JsonObject)JsonValue.Parse("""{"QueueUrl":"orders-rejected","MaxNumberOfMessages":10,"VisibilityTimeout":600}"""), CancellationToken.None);
            Assert.False(received.Failed, received.Error?.Message);
            var messages = (JsonArray)received.Value["Messages"]!;
            if (messages.Count == 0)
            {
                return count;
            }
            count += messages.Count;
        }
    }

    /// <summary>Every scenario starts from empty tables, an empty queue and empty buckets on the peers.</summary>
    private async Task ResetPeersAsync()
    {
        var credentials = new BasicAWSCredentials("orderflow", "orderflow");
        using var dynamo = new AmazonDynamoDBClient(credentials, new AmazonDynamoDBConfig { ServiceURL = peers.DynamoDb.ToString() });
        using var sqs = new AmazonSQSClient(credentials, new AmazonSQSConfig { ServiceURL = peers.S3Sqs.ToString() });
        using var s3 = new AmazonS3Client(credentials, new AmazonS3Config { ServiceURL = peers.S3Sqs.ToString(), ForcePathStyle = true });
        foreach (var table in (await dynamo.ListTablesAsync()).TableNames ?? [])
        {
            if (table is "orders" or "order-rejections")
            {
                await dynamo.DeleteTableAsync(table);
            }
        }
        foreach (var url in (await sqs.ListQueuesAsync("orders-rejected")).QueueUrls ?? [])
        {
            await sqs.DeleteQueueAsync(url);
        }
        foreach (var bucket in new[] { "orderflow-inbox", "orderflow-results" })
        {
            try
            {
                var listing = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
                foreach (var entry in listing.S3Objects ?? [])
                {
                    await s3.DeleteObjectAsync(bucket, entry.Key);
                }
            }
            catch (AmazonS3Exception ex) when (ex.ErrorCode == "NoSuchBucket")
            {
                // not created yet
            }
        }
    }
}
