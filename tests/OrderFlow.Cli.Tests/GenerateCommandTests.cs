using System.Globalization;
using OrderFlow.Json;

namespace OrderFlow.Cli.Tests;

/// <summary><c>orderflow generate</c>: reproducible, every file shape readable by the pipeline, every defect rejected.</summary>
public sealed class GenerateCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<CliProcess.Result> Generate(string file, int orders, double invalidRate, string format, int seed = 42, string prefix = "ORD-")
    {
        var result = await CliProcess.RunAsync(null, "generate", "--orders", orders.ToString(CultureInfo.InvariantCulture),
            "--invalid-rate", invalidRate.ToString(CultureInfo.InvariantCulture), "--format", format, "--seed", seed.ToString(CultureInfo.InvariantCulture),
            "--out", file, "--id-prefix", prefix);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return result;
    }

    [Fact]
    public async Task Generate_SameSeed_WritesTheSameFile_AnotherSeedAnother()
    {
        await Generate(_dir.Combine("a.jsonl"), 200, 0.2, "jsonl");
        await Generate(_dir.Combine("b.jsonl"), 200, 0.2, "jsonl");
        await Generate(_dir.Combine("c.jsonl"), 200, 0.2, "jsonl", seed: 43);
        Assert.Equal(await File.ReadAllBytesAsync(_dir.Combine("a.jsonl")), await File.ReadAllBytesAsync(_dir.Combine("b.jsonl")));
        Assert.NotEqual(await File.ReadAllBytesAsync(_dir.Combine("a.jsonl")), await File.ReadAllBytesAsync(_dir.Combine("c.jsonl")));
        Assert.Equal(200, File.ReadAllLines(_dir.Combine("a.jsonl")).Length);
    }

    [Fact]
    public async Task Generate_RandomIds_DistinctRandomOrderIds_EveryOtherFieldAsWithout()
    {
        await Generate(_dir.Combine("running.jsonl"), 300, 0, "jsonl");
        var result = await CliProcess.RunAsync(null, "generate", "--orders", "300", "--format", "jsonl", "--seed", "42",
            "--out", _dir.Combine("random.jsonl"), "--random-ids");
        Assert.True(result.ExitCode == 0, result.Stderr);

        var running = File.ReadAllLines(_dir.Combine("running.jsonl")).Select(l => (JsonObject)JsonValue.Parse(l)).ToList();
        var random = File.ReadAllLines(_dir.Combine("random.jsonl")).Select(l => (JsonObject)JsonValue.Parse(l)).ToList();
        static string Id(JsonObject order) => ((JsonString)((JsonObject)order["order-info"]!)["OrderId"]!).Value;
        Assert.Equal(300, random.Select(Id).Distinct().Count());
        Assert.All(random, o => Assert.Matches("^ORD-[0-9a-f]{32}$", Id(o)));
        Assert.NotEqual(random.Select(Id).Order(StringComparer.Ordinal), random.Select(Id));
        static JsonObject WithoutId(JsonObject order) =>
            order.SetItem("order-info", JsonObject.Create(((JsonObject)order["order-info"]!).Members.Where(m => m.Key != "OrderId")));
        Assert.Equal(running.Select(WithoutId), random.Select(WithoutId));
    }

    [Fact]
    public async Task Generate_InvalidRate_ReportsTheExactCountAndEveryDefectKind()
    {
        var result = await Generate(_dir.Combine("o.csv"), 1_000, 0.25, "csv");
        Assert.Contains("250 invalid: missing-contact-info 16,", result.Stderr, StringComparison.Ordinal);
        foreach (var kind in new[] { "missing-order-id", "order-id-too-long", "zero-quantity", "invalid-email", "unknown-currency", "unknown-country", "invalid-order-date", "negative-unit-price", "invalid-phone" })
        {
            Assert.Contains(kind, result.Stderr, StringComparison.Ordinal);
        }
        Assert.Contains("seed 42", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("json", "orders.json")]
    [InlineData("jsonl", "orders.jsonl")]
    [InlineData("csv", "orders.csv")]
    [InlineData("seed", "orders.json")]
    public async Task Generate_EveryFormat_ValidOrdersAreStoredAndEveryDefectIsRejected(string format, string name)
    {
        // 64 orders, half invalid: the 32 defects cycle twice through all 16 kinds.
        var file = _dir.Combine(name);
        await Generate(file, 64, 0.5, format, prefix: format + "-");
        var result = await CliProcess.RunAsync(null, "process", file, "--json", "--data-dir", _dir.Combine("data"));
        Assert.True(result.ExitCode == 0, result.Stderr);
        var summary = (JsonObject)JsonValue.Parse(result.Stdout);
        Assert.Equal(JsonValue.Parse("""{"invalid":32}"""), summary["rejectedByReason"]);
        Assert.Equal(JsonValue.FromNumber(32), summary["stored"]);
    }

    [Fact]
    public async Task Generate_ToStandardOutput_WritesOnlyTheOrders()
    {
        var result = await CliProcess.RunAsync(null, "generate", "--orders", "3", "--format", "json", "--seed", "1");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(3, ((JsonArray)JsonValue.Parse(result.Stdout)).Count);
        Assert.Contains("wrote 3 orders", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--orders", "-1")]
    [InlineData("--invalid-rate", "1.5")]
    [InlineData("--format", "xml")]
    public async Task Generate_InvalidOption_ExitsTwo(string option, string value)
    {
        string[] args = option == "--orders" ? ["generate", option, value] : ["generate", "--orders", "1", option, value];
        var result = await CliProcess.RunAsync(null, args);
        Assert.Equal(2, result.ExitCode);
    }
}
