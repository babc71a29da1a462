using System.Globalization;
using OrderFlow.Json;

namespace OrderFlow.Cli.Tests;

/// <summary><c>orderflow sales</c> and <c>orders list</c> over the stored orders, through the real command.</summary>
public sealed class SalesCommandTests : ProcessTestsBase
{
    private static string Seed => Path.Combine(AppContext.BaseDirectory, "samples", "seed", "orders.json");

    [Fact]
    public async Task Sales_SeedSample_OneSaleWithoutAPrice()
    {
        Assert.Equal(0, (await Process(Seed)).Exit);
        var result = await Run("sales", "--json");
        var total = (JsonObject)((JsonObject)JsonValue.Parse(result.Stdout))["total"]!;
        Assert.Equal("""{"orders":1,"sales":1,"units":1,"unpriced":1,"revenue":{}}""", total.ToJsonString());
        var text = await Run("sales");
        Assert.Contains("orders 1, sales 1, units 1", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 sold line(s) without a unit price", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sales_ByCurrency_AddsUpTheFileAsComputedFromItDirectly()
    {
        var file = await Generate("orders.jsonl", 3000, 0);
        AssertCounts((await Process(file)).Summary, 3000, 3000, 0, 0);
        var expected = Expected(file);

        var result = await Run("sales", "--by", "currency", "--json");
        var report = (JsonObject)JsonValue.Parse(result.Stdout);
        var total = (JsonObject)report["total"]!;
        Assert.Equal((3000L, expected.Sales, expected.Units), (N(total, "orders"), N(total, "sales"), N(total, "units")));
        var revenue = ((JsonObject)total["revenue"]!).Members.ToDictionary(m => m.Key, m => decimal.Parse(((JsonNumber)m.Value).Literal, NumberStyles.Float, CultureInfo.InvariantCulture));
        Assert.Equal(expected.Revenue.OrderBy(r => r.Key), revenue.OrderBy(r => r.Key));
        var csv = await Run("sales", "--by", "currency", "--csv");
        var rows = csv.Stdout.Trim().ReplaceLineEndings("\n").Split('\n');
        Assert.Equal(expected.Revenue.Count + 1, rows.Length);
        var header = rows[0].Split(',');
        foreach (var row in rows.Skip(1).Select(r => r.Split(',')))
        {
            var column = Array.IndexOf(header, $"revenue {row[0]}");
            Assert.Equal(expected.Revenue[row[0]], decimal.Parse(row[column], NumberStyles.Float, CultureInfo.InvariantCulture));
        }
        var groups = (JsonArray)report["groups"]!;
        Assert.Equal(expected.Revenue.Count, groups.Count);
        Assert.Equal(3000L, groups.Cast<JsonObject>().Sum(g => N(g, "orders")));
        Assert.All(groups.Cast<JsonObject>(), g => Assert.Equal(
            expected.Revenue[((JsonString)g["key"]!).Value],
            decimal.Parse(((JsonNumber)((JsonObject)g["revenue"]!).ValueAt(0)).Literal, NumberStyles.Float, CultureInfo.InvariantCulture)));

        var byMonth = await Run("sales", "--by", "month", "--from", "2025-03-01", "--to", "2025-03-31");
        Assert.Contains("2025-03", byMonth.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("2025-04", byMonth.Stdout, StringComparison.Ordinal);
        Assert.Contains("left out by --from, --to or --currency", byMonth.Stdout, StringComparison.Ordinal);
        Assert.Contains("revenue is in", byMonth.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrdersList_LimitBeyondOneScanPage_ListsThatMany()
    {
        var file = await Generate("orders.jsonl", 5000, 0);
        AssertCounts((await Process(file)).Summary, 5000, 5000, 0, 0);
        var list = await Run("orders", "list", "--limit", "4500");
        Assert.Contains("4500 order(s) (more: raise --limit)", list.Stdout, StringComparison.Ordinal);
        var all = await Run("orders", "list", "--limit", "5000");
        Assert.EndsWith("5000 order(s)", all.Stdout.TrimEnd(), StringComparison.Ordinal);
        Assert.Equal(5000, all.Stdout.Split('\n').Count(l => l.StartsWith("ORD-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Sales_AnotherTable_ReadsThatTable()
    {
        await using (var cloud = OrderFlow.Local.LocalCloud.Open(new OrderFlow.Local.LocalCloudOptions { DataDirectory = DataDir }))
        {
            await cloud.Tables.CreateTableAsync(new OrderFlow.Local.Tables.TableSchema("acme-orders", "OrderId", "S", null, null), CancellationToken.None);
            var put = await cloud.Tables.ExecuteAsync("PutItem", (JsonObject)JsonValue.Parse(
                """{"TableName":"acme-orders","Item":{"OrderId":{"S":"A-1"},"item-id":{"S":"X, \"the\" one"},"qty":{"S":"3"},"unit-price":{"S":"2.5"},"currency":{"S":"EUR"}}}"""), CancellationToken.None);
            Assert.False(put.Failed, put.Error?.Message);
        }
        var result = await Run("sales", "--table", "acme-orders", "--json");
        Assert.Equal("""{"orders":1,"sales":1,"units":3,"unpriced":0,"revenue":{"EUR":7.5}}""", ((JsonObject)JsonValue.Parse(result.Stdout))["total"]!.ToJsonString());
        var csv = await Run("sales", "--table", "acme-orders", "--by", "item", "--csv");
        Assert.Equal("item,orders,sales,units,unpriced,revenue EUR\n\"X, \"\"the\"\" one\",1,1,3,0,7.5", csv.Stdout.Trim().ReplaceLineEndings("\n"));
        var missing = await CliProcess.RunAsync(null, "sales", "--table", "nope", "--data-dir", DataDir);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("ResourceNotFoundException", missing.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no pipeline yet", new[] { "sales" }, 1, "orderflow process")]
    [InlineData("dates reversed", new[] { "sales", "--from", "2025-02-01", "--to", "2025-01-01" }, 2, "is after --to")]
    [InlineData("unknown grouping", new[] { "sales", "--by", "weekday" }, 2, "weekday")]
    [InlineData("negative top", new[] { "sales", "--top", "-1" }, 2, "--top must be")]
    [InlineData("two formats", new[] { "sales", "--json", "--csv" }, 2, "--json and --csv: choose one")]
    public async Task Sales_BadUse_ExitsNonZeroWithAMessage(string why, string[] args, int exit, string message)
    {
        var result = await CliProcess.RunAsync(null, [.. args, "--data-dir", DataDir]);
        Assert.True(result.ExitCode == exit, $"{why}: exit {result.ExitCode}, {result.Stderr}");
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>Runs <c>orderflow ARGS --data-dir DIR</c>, which must succeed.</summary>
    private async Task<CliProcess.Result> Run(params string[] args)
    {
        var result = await CliProcess.RunAsync(null, [.. args, "--data-dir", DataDir]);
        Assert.True(result.ExitCode == 0, $"orderflow {string.Join(' ', args)}: exit {result.ExitCode}: {result.Stderr}");
        return result;
    }

    /// <summary>Sales, units and revenue by currency of a generated JSON Lines file, read with System.Text.Json.</summary>
    private static (long Sales, long Units, Dictionary<string, decimal> Revenue) Expected(string file)
    {
        long sales = 0, units = 0;
        var revenue = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(file))
        {
            using var document = System.Text.Json.JsonDocument.Parse(line);
            var info = document.RootElement.GetProperty("order-info");
            var status = info.TryGetProperty("status", out var s) ? s.GetString() : null;
            if (status is "cancelled" or "returned")
            {
                continue;
            }
            sales++;
            var quantity = long.Parse(Text(info.GetProperty("qty")), CultureInfo.InvariantCulture);
            units += quantity;
            var price = decimal.Parse(Text(info.GetProperty("unit-price")), NumberStyles.Float, CultureInfo.InvariantCulture);
            var currency = info.GetProperty("currency").GetString()!;
            revenue[currency] = revenue.GetValueOrDefault(currency) + (quantity * price);
        }
        return (sales, units, revenue);
    }

    private static string Text(System.Text.Json.JsonElement value) =>
        value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString()! : value.GetRawText();
}
