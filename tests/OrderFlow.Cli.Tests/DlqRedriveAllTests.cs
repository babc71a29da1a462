using OrderFlow.Json;
using OrderFlow.Local;

namespace OrderFlow.Cli.Tests;

/// <summary><c>dlq redrive --all</c>: every rejected order again in one run; the old messages deleted once it has run.</summary>
public sealed class DlqRedriveAllTests : ProcessTestsBase
{
    private static string Seed => Path.Combine(AppContext.BaseDirectory, "samples", "seed", "orders.json");

    private static string Order(string id, string item) =>
        $$$"""{"order-info":{"OrderId":"{{{id}}}","item-id":"{{{item}}}","qty":1},"contact-info":{"name":"N","email":"n@example.com"}}""";

    [Fact]
    public async Task RedriveAll_AConflictWhoseStoredOrderIsGoneAndAStillInvalidOrder_StoresOneReplacesTheOther()
    {
        var first = _dir.Combine("first.jsonl");
        var second = _dir.Combine("second.jsonl");
        File.WriteAllText(first, Order("X-1", "A") + "\n");
        File.WriteAllText(second, Order("X-1", "B") + "\n");
        AssertCounts((await Process(Seed)).Summary, 2, 1, 0, 1);
        AssertCounts((await Process(first)).Summary, 1, 1, 0, 0);
        AssertCounts((await Process(second)).Summary, 1, 0, 0, 1); // a conflicting duplicate
        await using (var cloud = LocalCloud.Open(new LocalCloudOptions { DataDirectory = DataDir }))
        {
            var deleted = await cloud.Tables.ExecuteAsync("DeleteItem", (JsonObject)JsonValue.Parse("""{"TableName":"orders","Key":{"OrderId":{"S":"X-1"}}}"""), CancellationToken.None);
            Assert.False(deleted.Failed, deleted.Error?.Message);
            var foreign = await cloud.Queues.ExecuteAsync("SendMessage", (JsonObject)JsonValue.Parse("""{"QueueUrl":"orders-rejected","MessageBody":"{\"note\":\"not the pipeline's\"}"}"""), CancellationToken.None);
            Assert.False(foreign.Failed, foreign.Error?.Message);
        }

        var redrive = await CliProcess.RunAsync(null, "dlq", "redrive", "--all", "--data-dir", DataDir);
        Assert.True(redrive.ExitCode == 1, $"exit {redrive.ExitCode}: {redrive.Stdout}{redrive.Stderr}"); // one is still rejected
        Assert.Contains("redriven 2 order(s): stored 1, already stored 0, still rejected 1", redrive.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 message(s) not from the pipeline left as they are", redrive.Stdout, StringComparison.Ordinal);

        var stored = (JsonObject)JsonValue.Parse((await CliProcess.RunAsync(null, "orders", "get", "X-1", "--data-dir", DataDir)).Stdout);
        Assert.Equal(new JsonString("B"), stored["item-id"]);
        var messages = await RejectedMessages();
        Assert.Equal(2, messages.Count); // the seed's second order, replaced, and the foreign message
        var replaced = Assert.Single(messages, m => m.ContainsKey("source"));
        Assert.StartsWith("redrive/all-", ((JsonString)((JsonObject)replaced["source"]!)["key"]!).Value, StringComparison.Ordinal);
        Assert.Equal(new JsonString("$.contact-info"), ((JsonObject)((JsonArray)replaced["reasons"]!)[0])["path"]);
    }

    [Fact]
    public async Task RedriveAll_EmptyQueue_SaysSoAndSucceeds()
    {
        AssertCounts((await Process(await Generate("valid.jsonl", 5, 0))).Summary, 5, 5, 0, 0);
        var redrive = await CliProcess.RunAsync(null, "dlq", "redrive", "--all", "--data-dir", DataDir);
        Assert.Equal(0, redrive.ExitCode);
        Assert.Contains("No rejected orders to redrive.", redrive.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ids and --all", new[] { "dlq", "redrive", "some-id", "--all" })]
    [InlineData("neither", new[] { "dlq", "redrive" })]
    [InlineData("--all with --order", new[] { "dlq", "redrive", "--all", "--order", "fixed.json" })]
    public async Task Redrive_IdsOrAll_OneOrTheOther(string why, string[] args)
    {
        var result = await CliProcess.RunAsync(null, [.. args, "--data-dir", DataDir]);
        Assert.True(result.ExitCode == 2, $"{why}: exit {result.ExitCode}");
        Assert.Contains("Give the message ids to redrive, or --all", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RedriveAll_FileAndReason_TakesOnlyTheChosenRejectionsAndLeavesTheOthers()
    {
        // Two files, each with an order lacking contact-info and one with an unknown currency.
        var noContact = """{"order-info":{"OrderId":"{0}","item-id":"A","qty":1}}""";
        var badCurrency = """{"order-info":{"OrderId":"{0}","item-id":"A","qty":1,"currency":"XYZ"},"contact-info":{"name":"N","email":"n@example.com"}}""";
        foreach (var name in (string[])["a.jsonl", "b.jsonl"])
        {
            var file = _dir.Write(name, noContact.Replace("{0}", $"{name}-1", StringComparison.Ordinal) + "\n" + badCurrency.Replace("{0}", $"{name}-2", StringComparison.Ordinal) + "\n");
            AssertCounts((await Process(file)).Summary, 2, 0, 0, 2);
        }

        var temporary = Directory.CreateDirectory(_dir.Combine("tmp")).FullName;
        var redrive = await CliProcess.RunAsync(null, new Dictionary<string, string?> { ["TMPDIR"] = temporary }, "dlq", "redrive", "--all", "--file", "a.jsonl", "--reason", "currency", "--data-dir", DataDir);

        Assert.True(redrive.ExitCode == 1, $"exit {redrive.ExitCode}: {redrive.Stdout}{redrive.Stderr}"); // still rejected: the currency is still unknown
        Assert.Contains("redriven 1 order(s): stored 0, already stored 0, still rejected 1", redrive.Stdout, StringComparison.Ordinal);
        Assert.Contains("3 rejected order(s) not chosen by --file a.jsonl --reason currency left in the queue", redrive.Stdout, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(temporary, "orderflow-*")); // the orders' file and the ids' file
        var keys = (await RejectedMessages()).Select(m => ((JsonString)((JsonObject)m["source"]!)["key"]!).Value).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(4, keys.Count);
        Assert.Equal(["a.jsonl", "b.jsonl", "b.jsonl"], keys.Take(3));
        Assert.StartsWith("redrive/all-", keys[3], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redrive_FileOrReasonWithoutAll_IsAUsageError()
    {
        var result = await CliProcess.RunAsync(null, "dlq", "redrive", "some-id", "--reason", "currency", "--data-dir", DataDir);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--file, --reason and --order-id choose among all the rejected orders: give them with --all.", result.Stderr, StringComparison.Ordinal);
    }
}
