using OrderFlow.Json;
using OrderFlow.Local;

namespace OrderFlow.Cli.Tests;

/// <summary>dlq summary and dlq list's --file, --reason and --limit, through the real command.</summary>
public sealed class DlqSummaryTests : ProcessTestsBase
{
    // 1,600 orders at a tenth invalid: 160 invalid, 10 of each of the generator's 16 defects.
    private async Task<(string A, string B)> TwoFilesProcessed()
    {
        var a = await Generate("a.jsonl", 1600, 0.1);
        var b = _dir.Combine("b.jsonl");
        var generated = await CliProcess.RunAsync(null, "generate", "--orders", "1600", "--invalid-rate", "0.1", "--seed", "7", "--id-prefix", "B-", "--out", b);
        Assert.True(generated.ExitCode == 0, generated.Stderr);
        AssertCounts((await Process(a, b)).Summary, 3200, 2880, 0, 320);
        return (a, b);
    }

    [Fact]
    public async Task DlqSummary_TwoGeneratedFiles_CountsByFileReasonAndError()
    {
        var (a, _) = await TwoFilesProcessed();

        var result = await CliProcess.RunAsync(null, "dlq", "summary", "--json", "--top", "100", "--data-dir", DataDir);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var summary = (JsonObject)JsonValue.Parse(result.Stdout);
        Assert.Equal(JsonValue.FromNumber(320), summary["rejected"]);
        Assert.Equal(JsonValue.Parse("""[{"file":"a.jsonl","count":160},{"file":"b.jsonl","count":160}]"""), summary["byFile"]);
        Assert.Equal(JsonValue.Parse("""[{"error":"OrderRejected","count":320}]"""), summary["byError"]);
        var reasons = ((JsonArray)summary["byReason"]!).Cast<JsonObject>().ToDictionary(r => ((JsonString)r["reason"]!).Value, r => (long)((JsonNumber)r["count"]!).Value);
        // Unknown currencies of several values ("XYZ", "ABC", ...) are one reason; 10 per file.
        Assert.Equal(20, reasons["$.order-info.currency: \"…\" is not an ISO 4217 currency code"]);
        Assert.Equal(20, reasons["$.contact-info: is required"]);
        Assert.DoesNotContain(reasons.Keys, r => r.Contains("\"XYZ\"", StringComparison.Ordinal));
        // The most frequent first.
        Assert.Equal(reasons.Values.OrderByDescending(v => v), reasons.Values);

        var text = await CliProcess.RunAsync(null, "dlq", "summary", "--file", a, "--top", "2", "--data-dir", DataDir);
        Assert.True(text.ExitCode == 0, text.Stderr);
        Assert.StartsWith("160 rejected order(s) in the queue orders-rejected, from 1 file(s)", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("more reasons: raise --top", text.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("b.jsonl", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DlqList_FileReasonAndLimit_ListOnlyTheMatchingMessages()
    {
        var (a, _) = await TwoFilesProcessed();

        // Unknown and malformed currencies: 20 a file.
        var currency = await CliProcess.RunAsync(null, "dlq", "list", "--file", "b.jsonl", "--reason", "CURRENCY", "--json", "--limit", "1000", "--data-dir", DataDir);
        Assert.True(currency.ExitCode == 0, currency.Stderr);
        var lines = currency.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (JsonObject)JsonValue.Parse(l)).ToList();
        Assert.Equal(20, lines.Count);
        Assert.All(lines, m => Assert.Equal(new JsonString("b.jsonl"), ((JsonObject)m["source"]!)["key"]));
        Assert.All(lines, m => Assert.Contains(((JsonArray)m["reasons"]!).Cast<JsonObject>(), r => ((JsonString)r["path"]!).Value == "$.order-info.currency"));

        var limited = await CliProcess.RunAsync(null, "dlq", "list", "--file", a, "--limit", "3", "--data-dir", DataDir);
        Assert.Equal(4, limited.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("3 rejected order(s) (more: raise --limit)", limited.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("b.jsonl#", limited.Stdout, StringComparison.Ordinal);

        // An OrderId of 129 characters and more is cut in the text list.
        var longIds = await CliProcess.RunAsync(null, "dlq", "list", "--reason", "at most 128", "--limit", "1", "--data-dir", DataDir);
        var line = longIds.Stdout.Split('\n')[0];
        Assert.Contains("… a.jsonl#", line, StringComparison.Ordinal);
        Assert.True(line.Length < 200, line);

        var none = await CliProcess.RunAsync(null, "dlq", "list", "--file", "c.jsonl", "--data-dir", DataDir);
        Assert.Equal(0, none.ExitCode);
        Assert.Contains("0 rejected order(s)", none.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DlqSummary_ManyDistinctReasonsAndForeignMessages_KeepsTheFirstTenThousandAndCountsTheRest()
    {
        Assert.Equal(0, (await CliProcess.RunAsync(null, "init", "--data-dir", DataDir)).ExitCode);
        await using (var cloud = LocalCloud.Open(new LocalCloudOptions { DataDirectory = DataDir }))
        {
            const int distinct = 10_005;
            for (var first = 0; first < distinct; first += 10)
            {
                var entries = Enumerable.Range(first, Math.Min(10, distinct - first)).Select(i => new JsonObjectBuilder(2)
                    .Set("Id", $"m{i}")
                    .Set("MessageBody", $$"""{"error":"OrderRejected","reasons":[{"path":"$.x{{i}}","message":"\"v{{i}}\" is wrong"}],"source":{"bucket":"b","key":"k.jsonl","position":{{i}}},"order":null}""")
                    .Build());
                var sent = await cloud.Queues.ExecuteAsync("SendMessageBatch", new JsonObjectBuilder(2).Set("QueueUrl", "orders-rejected").Set("Entries", new JsonArray(entries)).Build(), CancellationToken.None);
                Assert.False(sent.Failed);
            }
            var foreign = await cloud.Queues.ExecuteAsync("SendMessage", (JsonObject)JsonValue.Parse("""{"QueueUrl":"orders-rejected","MessageBody":"not json"}"""), CancellationToken.None);
            Assert.False(foreign.Failed);
        }

        var result = await CliProcess.RunAsync(null, "dlq", "summary", "--top", "2", "--data-dir", DataDir);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.StartsWith("10,006 rejected order(s) in the queue orders-rejected, from 1 file(s)", result.Stdout, StringComparison.Ordinal);
        // Each path is its own reason: 10,005 of them, of which 10,000 are kept; the foreign message has none.
        Assert.Contains("(9,998 more reasons: raise --top; 5 more past the first 10,000 reasons)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("(not a pipeline message)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("(no file)", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrdersGet_RejectedOrder_PointsToDlqListByOrderId_WhichFindsItAlone()
    {
        var orders = _dir.Write("orders.jsonl", """
            {"order-info":{"OrderId":"R1","item-id":"x","qty":1}}
            {"order-info":{"OrderId":"R2","item-id":"x","qty":1}}
            """);
        Assert.Equal(0, (await CliProcess.RunAsync(null, "process", orders, "--data-dir", DataDir)).ExitCode);

        var get = await CliProcess.RunAsync(null, "orders", "get", "R1", "--data-dir", DataDir);
        var list = await CliProcess.RunAsync(null, "dlq", "list", "--order-id", "R1", "--data-dir", DataDir);

        Assert.Equal(1, get.ExitCode);
        Assert.Contains("No order R1 is stored (if it was rejected, orderflow dlq list --order-id R1 shows why).", get.Stderr, StringComparison.Ordinal);
        Assert.Contains("order R1 ", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("$.contact-info: is required", list.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("R2", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 rejected order(s)", list.Stdout, StringComparison.Ordinal);

        var redrive = await CliProcess.RunAsync(null, "dlq", "redrive", "--all", "--order-id", "R1", "--data-dir", DataDir);
        Assert.Contains("redriven 1 order(s): stored 0, already stored 0, still rejected 1", redrive.Stdout, StringComparison.Ordinal);
        Assert.Contains("; 1 rejected order(s) not chosen by --order-id R1 left in the queue", redrive.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DlqList_FileNameOfAWatchedFile_FindsItsRejections()
    {
        // watch keys its files watch/NAME; the name alone finds them.
        var inbox = Directory.CreateDirectory(_dir.Combine("inbox")).FullName;
        File.Copy(Path.Combine(AppContext.BaseDirectory, "samples", "seed", "orders.json"), Path.Combine(inbox, "seed.json"));
        Assert.Equal(0, (await CliProcess.RunAsync(null, "watch", inbox, "--data-dir", DataDir, "--max-files", "1")).ExitCode);

        var byName = await CliProcess.RunAsync(null, "dlq", "list", "--file", "seed.json", "--data-dir", DataDir);
        var byKey = await CliProcess.RunAsync(null, "dlq", "list", "--file", "watch/seed.json", "--data-dir", DataDir);
        var other = await CliProcess.RunAsync(null, "dlq", "list", "--file", "other.json", "--data-dir", DataDir);

        Assert.Contains("watch/seed.json#1", byName.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 rejected order(s)", byName.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 rejected order(s)", byKey.Stdout, StringComparison.Ordinal);
        Assert.Contains("0 rejected order(s)", other.Stdout, StringComparison.Ordinal);
    }
}
