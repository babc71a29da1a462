using OrderFlow.Json;

namespace OrderFlow.Cli.Tests;

/// <summary>watch, orders list|get and dlq list|show|redrive through the real command.</summary>
public sealed class ResultCommandsTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string DataDir => _dir.Combine("data");

    private static string Seed => Path.Combine(AppContext.BaseDirectory, "samples", "seed", "orders.json");

    [Fact]
    public async Task Watch_IngestsFilesAlreadyThere_AndARestartDoesNotProcessThemAgain()
    {
        var inbox = Directory.CreateDirectory(_dir.Combine("inbox")).FullName;
        File.Copy(Seed, Path.Combine(inbox, "seed.json"));
        var first = await CliProcess.RunAsync(null, "watch", inbox, "--data-dir", DataDir, "--max-files", "1");
        Assert.Equal(0, first.ExitCode);
        Assert.Contains("seed.json: orders 2, stored 1, duplicates 0, rejected 1 (why: orderflow dlq list --file seed.json)", first.Stdout, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(inbox, "more.json"), """[{"order-info":{"OrderId":"W1","item-id":"1","qty":1},"contact-info":{"name":"W","email":"w@example.com"}}]""");
        var second = await CliProcess.RunAsync(null, "watch", inbox, "--data-dir", DataDir, "--max-files", "1");
        Assert.Equal(0, second.ExitCode);
        Assert.DoesNotContain("seed.json", second.Stdout, StringComparison.Ordinal);
        Assert.Contains("more.json: orders 1, stored 1", second.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_MalformedFile_SaysItFailedWithTheCheckError()
    {
        var inbox = Directory.CreateDirectory(_dir.Combine("inbox")).FullName;
        File.WriteAllText(Path.Combine(inbox, "bad.jsonl"), "{bad\n");

        var result = await CliProcess.RunAsync(null, "watch", inbox, "--data-dir", DataDir, "--max-files", "1");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("bad.jsonl: orders 0, stored 0, duplicates 0, rejected 0, FAILED OrderFile.Malformed: The file cannot be read to its end", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrdersAndDlq_ListShowAndRedriveACorrectedOrder()
    {
        Assert.Equal(0, (await CliProcess.RunAsync(null, "process", Seed, "--data-dir", DataDir)).ExitCode);

        var orders = await CliProcess.RunAsync(null, "orders", "list", "--data-dir", DataDir);
        Assert.Contains("1 order(s)", orders.Stdout, StringComparison.Ordinal);
        var order = (JsonObject)JsonValue.Parse((await CliProcess.RunAsync(null, "orders", "get", "1", "--data-dir", DataDir)).Stdout);
        Assert.Equal(new JsonString("foobar@test.com"), order["contact-email"]);
        Assert.Equal(1, (await CliProcess.RunAsync(null, "orders", "get", "nope", "--data-dir", DataDir)).ExitCode);
        // The seed's second order spells orderId: orders get does not find it, and the dlq list it points to does.
        var second = await CliProcess.RunAsync(null, "orders", "get", "2", "--data-dir", DataDir);
        Assert.Contains("orderflow dlq list --order-id 2 shows why", second.Stderr, StringComparison.Ordinal);
        Assert.Contains("1 rejected order(s)", (await CliProcess.RunAsync(null, "dlq", "list", "--order-id", "2", "--data-dir", DataDir)).Stdout, StringComparison.Ordinal);

        var dlq = await CliProcess.RunAsync(null, "dlq", "list", "--data-dir", DataDir);
        Assert.Contains("1 rejected order(s)", dlq.Stdout, StringComparison.Ordinal);
        Assert.Contains("$.contact-info: is required", dlq.Stdout, StringComparison.Ordinal);
        var messageId = dlq.Stdout.Split('\n')[0].Split(' ')[0];
        var shown = (JsonObject)JsonValue.Parse((await CliProcess.RunAsync(null, "dlq", "show", messageId, "--data-dir", DataDir)).Stdout);
        Assert.Equal(JsonValue.FromNumber(1), ((JsonObject)shown["source"]!)["position"]);

        var unchanged = await CliProcess.RunAsync(null, "dlq", "redrive", messageId, "--data-dir", DataDir);
        Assert.Equal(1, unchanged.ExitCode);
        Assert.Contains("still rejected; the message is replaced", unchanged.Stdout, StringComparison.Ordinal);
        var replaced = await CliProcess.RunAsync(null, "dlq", "list", "--data-dir", DataDir);
        Assert.Contains("1 rejected order(s)", replaced.Stdout, StringComparison.Ordinal);
        Assert.False(replaced.Stdout.StartsWith(messageId, StringComparison.Ordinal));
        messageId = replaced.Stdout.Split('\n')[0].Split(' ')[0];

        var corrected = _dir.Write("fixed.json", """{"order-info":{"OrderId":"2","item-id":"102","qty":"2"},"contact-info":{"name":"Two","email":"two@example.com"}}""");
        var redrive = await CliProcess.RunAsync(null, "dlq", "redrive", messageId, "--order", corrected, "--data-dir", DataDir);
        Assert.Equal(0, redrive.ExitCode);
        Assert.Contains("stored; the message is deleted", redrive.Stdout, StringComparison.Ordinal);
        Assert.Contains("2 order(s)", (await CliProcess.RunAsync(null, "orders", "list", "--data-dir", DataDir)).Stdout, StringComparison.Ordinal);
        Assert.Contains("0 rejected order(s)", (await CliProcess.RunAsync(null, "dlq", "list", "--data-dir", DataDir)).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DlqRedrive_CorrectedOrderTheRunCannotHandle_KeepsTheMessage()
    {
        Assert.Equal(0, (await CliProcess.RunAsync(null, "process", Seed, "--data-dir", DataDir)).ExitCode);
        var messageId = (await CliProcess.RunAsync(null, "dlq", "list", "--data-dir", DataDir)).Stdout.Split('\n')[0].Split(' ')[0];
        // Over the 256 KiB an order may be: refused before it enters the pipeline, so neither stored nor rejected again.
        var huge = _dir.Write("huge.json", """{"order-info":{"OrderId":"2","item-id":"102","qty":"2","item-desc":""" + $"\"{new string('x', 300_000)}\"" + """},"contact-info":{"name":"Two","email":"two@example.com"}}""");

        var redrive = await CliProcess.RunAsync(null, "dlq", "redrive", messageId, "--order", huge, "--data-dir", DataDir);

        Assert.Equal(1, redrive.ExitCode);
        Assert.Contains($"{messageId}: the redrive run failed", redrive.Stderr, StringComparison.Ordinal);
        Assert.Contains("the message stays in the queue", redrive.Stderr, StringComparison.Ordinal);
        var list = await CliProcess.RunAsync(null, "dlq", "list", "--data-dir", DataDir);
        Assert.StartsWith(messageId, list.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 rejected order(s)", list.Stdout, StringComparison.Ordinal);
    }
}
