using OrderFlow.Json;

namespace OrderFlow.Cli.Tests;

/// <summary>orders list, dlq list and executions list: their text, their --json (JSON Lines) and odd rejected orders.</summary>
public sealed class ListCommandsJsonTests : ProcessTestsBase
{
    [Fact]
    public async Task DlqList_RejectedOrdersThatAreNotObjects_ListedAsTextAndJson()
    {
        var file = _dir.Combine("odd.jsonl");
        File.WriteAllText(file, "[1,2]\n42\n{\"order-info\":{\"OrderId\":\"A\",\"item-id\":\"x\",\"qty\":1},\"contact-info\":{\"name\":\"N\",\"email\":\"n@example.com\"}}\n");
        AssertCounts((await Process(file)).Summary, 3, 1, 0, 2);

        var text = await CliProcess.RunAsync(null, "dlq", "list", "--data-dir", DataDir);
        Assert.True(text.ExitCode == 0, text.Stderr);
        Assert.Contains("odd.jsonl#0  $: must be an object", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("2 rejected order(s)", text.Stdout, StringComparison.Ordinal);

        var json = await CliProcess.RunAsync(null, "dlq", "list", "--json", "--data-dir", DataDir);
        Assert.True(json.ExitCode == 0, json.Stderr);
        var messages = Lines(json.Stdout);
        Assert.Equal([JsonValue.Parse("[1,2]"), JsonValue.Parse("42")], messages.Select(m => m["order"]));
        Assert.All(messages, m => Assert.IsType<JsonString>(m["messageId"]));
        Assert.Contains("2 rejected order(s)", json.Stderr, StringComparison.Ordinal);
        // --max, its name before --limit, still works.
        var first = await CliProcess.RunAsync(null, "dlq", "list", "--max", "1", "--data-dir", DataDir);
        Assert.Contains("odd.jsonl#0", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 rejected order(s) (more: raise --limit)", first.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecutionsList_LimitAndStatus_NewestFirstAndSaysWhenThereAreMore()
    {
        foreach (var name in (string[])["a.jsonl", "b.jsonl", "c.jsonl"])
        {
            File.WriteAllText(_dir.Combine(name), "{\"order-info\":{\"OrderId\":\"" + name + "\",\"item-id\":\"x\",\"qty\":1},\"contact-info\":{\"name\":\"N\",\"email\":\"n@example.com\"}}\n");
            AssertCounts((await Process(_dir.Combine(name))).Summary, 1, 1, 0, 0);
        }

        var two = await CliProcess.RunAsync(null, "executions", "list", "--limit", "2", "--json", "--data-dir", DataDir);
        var all = await CliProcess.RunAsync(null, "executions", "list", "--status", "succeeded", "--data-dir", DataDir);
        var none = await CliProcess.RunAsync(null, "executions", "list", "--status", "ABORTED", "--data-dir", DataDir);
        var wrong = await CliProcess.RunAsync(null, "executions", "list", "--status", "DONE", "--data-dir", DataDir);

        var listed = Lines(two.Stdout);
        Assert.Equal(2, listed.Count);
        Assert.Contains("2 execution(s) (more: raise --limit)", two.Stderr, StringComparison.Ordinal);
        var newestFirst = listed.Select(e => ((JsonString)e["startDate"]!).Value).ToList();
        Assert.Equal(newestFirst.OrderDescending(StringComparer.Ordinal), newestFirst);
        Assert.Contains("3 execution(s)", all.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("more:", all.Stdout, StringComparison.Ordinal);
        Assert.Contains("0 execution(s)", none.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, wrong.ExitCode);
    }

    [Fact]
    public async Task DlqList_AMessageNotFromThePipeline_ListedWithItsBody()
    {
        AssertCounts((await Process(Path.Combine(AppContext.BaseDirectory, "samples", "seed", "orders.json"))).Summary, 2, 1, 0, 1);
        await using (var cloud = OrderFlow.Local.LocalCloud.Open(new OrderFlow.Local.LocalCloudOptions { DataDirectory = DataDir }))
        {
            var sent = await cloud.Queues.ExecuteAsync("SendMessage", (JsonObject)JsonValue.Parse("""{"QueueUrl":"orders-rejected","MessageBody":"not json at all"}"""), CancellationToken.None);
            Assert.False(sent.Failed, sent.Error?.Message);
        }
        var text = await CliProcess.RunAsync(null, "dlq", "list", "--data-dir", DataDir);
        Assert.True(text.ExitCode == 0, text.Stderr);
        Assert.Contains("not json at all", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("2 rejected order(s)", text.Stdout, StringComparison.Ordinal);
        var id = text.Stdout.Split('\n').Single(l => l.Contains("not json at all", StringComparison.Ordinal)).Split(' ')[0];
        var show = await CliProcess.RunAsync(null, "dlq", "show", id, "--data-dir", DataDir);
        Assert.Equal("not json at all", show.Stdout.Trim());
    }

    [Fact]
    public async Task OrdersAndExecutionsList_Json_OneObjectPerLine()
    {
        var file = await Generate("orders.jsonl", 30, 0);
        AssertCounts((await Process(file)).Summary, 30, 30, 0, 0);

        var orders = await CliProcess.RunAsync(null, "orders", "list", "--json", "--limit", "25", "--data-dir", DataDir);
        Assert.True(orders.ExitCode == 0, orders.Stderr);
        var stored = Lines(orders.Stdout);
        Assert.Equal(25, stored.Count);
        Assert.All(stored, o => Assert.StartsWith("ORD-", ((JsonString)o["OrderId"]!).Value, StringComparison.Ordinal));
        Assert.Contains("25 order(s) (more: raise --limit)", orders.Stderr, StringComparison.Ordinal);

        var executions = await CliProcess.RunAsync(null, "executions", "list", "--json", "--data-dir", DataDir);
        Assert.True(executions.ExitCode == 0, executions.Stderr);
        var execution = Assert.Single(Lines(executions.Stdout));
        Assert.Equal(new JsonString("SUCCEEDED"), execution["status"]);
        Assert.Equal(new JsonString("order-pipeline"), execution["stateMachine"]);
        Assert.EndsWith(((JsonString)execution["name"]!).Value, ((JsonString)execution["executionArn"]!).Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lists_ControlCharactersInOrders_EachOrderStaysOnOneLine()
    {
        // A line break or a bell inside an OrderId or a name: the text lists write them as escapes.
        var file = _dir.Write("hostile.jsonl",
            "{\"order-info\":{\"OrderId\":\"S\\nTORED\",\"item-id\":\"x\",\"qty\":1},\"contact-info\":{\"name\":\"Tab\\tName\",\"email\":\"n@example.com\"}}\n"
            + "{\"order-info\":{\"OrderId\":\"R\\u0007EJECTED\\r\\n\",\"item-id\":\"x\",\"qty\":1}}\n");
        AssertCounts((await Process(file)).Summary, 2, 1, 0, 1);

        var orders = await CliProcess.RunAsync(null, "orders", "list", "--data-dir", DataDir);
        var dlq = await CliProcess.RunAsync(null, "dlq", "list", "--data-dir", DataDir);

        Assert.Equal(["S\\nTORED", "1"], orders.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]));
        Assert.Contains("Tab\\tName", orders.Stdout, StringComparison.Ordinal);
        var lines = dlq.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains("order R\\u0007EJECTED\\r\\n", lines[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dlq", "list", "--limit")]
    [InlineData("orders", "list", "--limit")]
    public async Task List_CountBelowOne_IsAUsageError(string group, string command, string option)
    {
        var result = await CliProcess.RunAsync(null, group, command, option, "0", "--data-dir", DataDir);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{option} must be at least 1", result.Stderr, StringComparison.Ordinal);
    }

    private static List<JsonObject> Lines(string stdout) =>
        [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => (JsonObject)JsonValue.Parse(l))];
}
