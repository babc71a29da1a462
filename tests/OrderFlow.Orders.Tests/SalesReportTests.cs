using OrderFlow.Json;
using OrderFlow.Orders.Analytics;

namespace OrderFlow.Orders.Tests;

/// <summary>The sales analysis of stored items: what an order counts for, and how the groups add up.</summary>
public sealed class SalesReportTests
{
    /// <summary>A stored item as the pipeline writes it: every attribute a DynamoDB string.</summary>
    private static JsonObject Item(params (string Name, string Value)[] attributes) =>
        JsonObject.Create(attributes.Select(a => new KeyValuePair<string, JsonValue>(a.Name, JsonObject.Of("S", new JsonString(a.Value)))));

    private static JsonObject Order(string id, string item, string qty, string? price, string? currency, string? date, string? status, string? country = null)
    {
        var attributes = new List<(string, string)> { ("OrderId", id), ("item-id", item), ("qty", qty), ("contact-name", "A"), ("contact-email", "a@example.com") };
        foreach (var (name, value) in new[] { ("unit-price", price), ("currency", currency), ("order-date", date), ("status", status), ("country", country) })
        {
            if (value is not null)
            {
                attributes.Add((name, value));
            }
        }
        return Item([.. attributes]);
    }

    [Fact]
    public void FromItem_SingleLineOrder_ReadsItsLineDateAndFields()
    {
        var facts = SaleFacts.FromItem(Order("1", "SKU-1", "3", "2.50", "EUR", "2025-05-04T23:30:00-05:00", "paid", "DE"));
        Assert.NotNull(facts);
        Assert.Equal(new DateOnly(2025, 5, 4), facts.Date); // the date as the order wrote it, in its own offset
        Assert.Equal(("paid", "DE", "EUR"), (facts.Status, facts.Country, facts.Currency));
        Assert.Equal([new SaleLine("SKU-1", null, 3, 2.50m)], facts.Lines);
        Assert.True(facts.IsSale);
    }

    [Fact]
    public void FromItem_LineItems_AreTheOrdersLines()
    {
        var item = Item(("OrderId", "7"), ("items", """[{"item-id":"A","qty":2,"unit-price":"1.25"},{"item-id":"B","qty":"1","item-desc":"Bee"}]"""), ("order-date", "2025-01-31"));
        var facts = SaleFacts.FromItem(item);
        Assert.NotNull(facts);
        Assert.Equal([new SaleLine("A", null, 2, 1.25m), new SaleLine("B", "Bee", 1, null)], facts.Lines);
        Assert.Equal(new DateOnly(2025, 1, 31), facts.Date);
    }

    [Fact]
    public void FromItem_NumbersAsDynamoDbNumbers_ReadAsTheirText()
    {
        var item = (JsonObject)JsonValue.Parse("""{"OrderId":{"S":"9"},"item-id":{"S":"A"},"qty":{"N":"4"},"unit-price":{"N":"0.5"}}""");
        Assert.Equal([new SaleLine("A", null, 4, 0.5m)], SaleFacts.FromItem(item)!.Lines);
    }

    [Theory]
    [InlineData("no OrderId", """{"item-id":{"S":"A"},"qty":{"S":"1"}}""")]
    [InlineData("quantity not a number", """{"OrderId":{"S":"1"},"item-id":{"S":"A"},"qty":{"S":"two"}}""")]
    [InlineData("quantity zero", """{"OrderId":{"S":"1"},"item-id":{"S":"A"},"qty":{"S":"0"}}""")]
    [InlineData("negative price", """{"OrderId":{"S":"1"},"item-id":{"S":"A"},"qty":{"S":"1"},"unit-price":{"S":"-1"}}""")]
    [InlineData("no item", """{"OrderId":{"S":"1"}}""")]
    [InlineData("items not JSON", """{"OrderId":{"S":"1"},"items":{"S":"[{"}}""")]
    [InlineData("a line without qty", """{"OrderId":{"S":"1"},"items":{"S":"[{\"item-id\":\"A\"}]"}}""")]
    public void FromItem_NotAnOrderAsStored_IsNull(string why, string item)
    {
        Assert.True(SaleFacts.FromItem((JsonObject)JsonValue.Parse(item)) is null, why);
    }

    [Fact]
    public void Add_CancelledAndReturned_CountAsOrdersNotSales()
    {
        var report = new SalesReport(new SalesQuery { By = SalesDimension.Status });
        report.Add(Order("1", "A", "2", "10", "EUR", "2025-01-01", "paid"));
        report.Add(Order("2", "A", "5", "10", "EUR", "2025-01-01", "cancelled"));
        report.Add(Order("3", "A", "1", "10", "EUR", "2025-01-01", "returned"));
        report.Add(Order("4", "A", "1", null, null, null, null));
        Assert.Equal((4, 2, 3, 1), (report.Total.Orders, report.Total.Sales, report.Total.Units, report.Total.Unpriced));
        Assert.Equal(20m, report.Total.Revenue["EUR"]);
        Assert.Equal([new("cancelled", 1L), new KeyValuePair<string, long>("returned", 1)], report.NotSales);
        var groups = report.Groups().ToDictionary(g => g.Key, g => g.Totals);
        Assert.Equal((1, 0, 0), (groups["cancelled"].Orders, groups["cancelled"].Sales, groups["cancelled"].Units));
        Assert.Equal(1, groups[SalesReport.Missing].Sales);
    }

    [Theory]
    [InlineData(SalesDimension.Day, new[] { "2025-01-01", "2025-02-15", SalesReport.Missing })]
    [InlineData(SalesDimension.Week, new[] { "2025-W01", "2025-W07", SalesReport.Missing })]
    [InlineData(SalesDimension.Month, new[] { "2025-01", "2025-02", SalesReport.Missing })]
    [InlineData(SalesDimension.Country, new[] { "DE", "FR", SalesReport.Missing })]
    [InlineData(SalesDimension.Currency, new[] { "EUR", "USD", SalesReport.Missing })]
    public void Groups_ByDimension_DatesInOrderOthersMostSalesFirst(SalesDimension by, string[] expected)
    {
        var report = new SalesReport(new SalesQuery { By = by });
        report.Add(Order("1", "A", "1", "1", "EUR", "2025-01-01", "paid", "DE"));
        report.Add(Order("2", "A", "1", "1", "EUR", "2025-01-01T10:00:00Z", "paid", "DE"));
        report.Add(Order("3", "A", "1", "1", "USD", "2025-02-15", "paid", "FR"));
        report.Add(Order("4", "A", "1", "1", null, null, "cancelled"));
        Assert.Equal(expected, report.Groups().Select(g => g.Key));
        Assert.Equal(4, report.Groups().Sum(g => g.Totals.Orders));
    }

    [Theory]
    [InlineData("2024-12-30", "2025-W01")]
    [InlineData("2025-12-28", "2025-W52")]
    [InlineData("2026-12-31", "2026-W53")]
    [InlineData("2027-01-03", "2026-W53")]
    [InlineData("2027-01-04", "2027-W01")]
    public void Groups_ByWeek_IsoWeeksAcrossTheTurnOfTheYear(string date, string week)
    {
        var report = new SalesReport(new SalesQuery { By = SalesDimension.Week });
        report.Add(Order("1", "A", "1", "1", "EUR", date, "paid"));
        Assert.Equal(week, Assert.Single(report.Groups()).Key);
    }

    [Fact]
    public void Groups_ByItem_CountsAnOrderInEachOfItsItems()
    {
        var report = new SalesReport(new SalesQuery { By = SalesDimension.Item });
        report.Add(Item(("OrderId", "1"), ("currency", "EUR"), ("items", """[{"item-id":"A","qty":2,"unit-price":3},{"item-id":"B","qty":1,"unit-price":5},{"item-id":"A","qty":1,"unit-price":3}]""")));
        report.Add(Order("2", "B", "4", "5", "EUR", null, null));
        var groups = report.Groups().ToDictionary(g => g.Key, g => g.Totals);
        Assert.Equal((1, 3, 9m), (groups["A"].Orders, groups["A"].Units, groups["A"].Revenue["EUR"]));
        Assert.Equal((2, 5, 25m), (groups["B"].Orders, groups["B"].Units, groups["B"].Revenue["EUR"]));
        Assert.Equal((2, 8, 34m), (report.Total.Orders, report.Total.Units, report.Total.Revenue["EUR"]));
        Assert.Equal(["B"], report.Groups(top: 1).Select(g => g.Key));
    }

    [Fact]
    public void Add_DatesAndCurrencyOfTheQuery_LeaveTheOthersOut()
    {
        var report = new SalesReport(new SalesQuery { From = new DateOnly(2025, 2, 1), To = new DateOnly(2025, 2, 28), Currency = "EUR" });
        report.Add(Order("1", "A", "1", "1", "EUR", "2025-02-01T00:00:00Z", "paid"));
        report.Add(Order("2", "A", "1", "1", "EUR", "2025-02-28", "paid"));
        report.Add(Order("3", "A", "1", "1", "EUR", "2025-03-01", "paid"));
        report.Add(Order("4", "A", "1", "1", "USD", "2025-02-10", "paid"));
        report.Add(Order("5", "A", "1", "1", "EUR", null, "paid"));
        report.Add(Item(("item-id", "A")));
        Assert.Equal((6, 2, 3, 1), (report.Read, report.Total.Orders, report.LeftOut, report.Unreadable));
    }

    [Fact]
    public void Add_RevenueBeyondDecimal_IsMarkedOverflowedAndTheRestCounted()
    {
        var report = new SalesReport(new SalesQuery());
        // Not an order the pipeline would store (its quantities have at most 9 digits), but an item the table may hold.
        report.Add(Order("1", "A", "999999999999999999", "9999999999999.9999", "EUR", null, null));
        report.Add(Order("2", "A", "1", "2", "EUR", null, null));
        Assert.True(report.Total.Overflowed);
        Assert.Equal(2, report.Total.Sales);
        Assert.Equal(2m, report.Total.Revenue["EUR"]);
        Assert.True(((JsonBoolean)((JsonObject)report.ToJson()["total"]!)["overflowed"]!).Value);
    }

    [Fact]
    public void ToJson_ByMonth_HasTheQueryTotalsAndGroups()
    {
        var report = new SalesReport(new SalesQuery { By = SalesDimension.Month });
        report.Add(Order("1", "A", "2", "1.5", "EUR", "2025-01-01", "paid"));
        report.Add(Order("2", "A", "1", "0.25", "USD", "2025-02-01", "returned"));
        var json = report.ToJson();
        Assert.Equal(
            """{"by":"month","read":2,"leftOut":0,"unreadable":0,"notSales":{"returned":1},"total":{"orders":2,"sales":1,"units":2,"unpriced":0,"revenue":{"EUR":3.0}},"groupCount":2,"groups":[{"key":"2025-01","orders":1,"sales":1,"units":2,"unpriced":0,"revenue":{"EUR":3.0}},{"key":"2025-02","orders":1,"sales":0,"units":0,"unpriced":0,"revenue":{}}]}""",
            json.ToJsonString());
    }
}
