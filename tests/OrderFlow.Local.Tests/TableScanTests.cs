using OrderFlow.Json;
using OrderFlow.Local.Tables;
using static OrderFlow.Local.Tests.TestCloud;

namespace OrderFlow.Local.Tests;

/// <summary>The embedded table's Scan: pages of at most 1 MB, in key order, resumed after any key.</summary>
public sealed class TableScanTests : IAsyncLifetime
{
    private readonly TestCloud _t = new();

    public async Task InitializeAsync()
    {
        await _t.Cloud.Tables.CreateTableAsync(new TableSchema("orders", "OrderId", "S", null, null), CancellationToken.None);
        await _t.Cloud.Tables.CreateTableAsync(new TableSchema("lines", "OrderId", "S", "Line", "N"), CancellationToken.None);
    }

    public async Task DisposeAsync() => await _t.DisposeAsync();

    [Fact]
    public async Task Scan_ItemsPastOneMegabyte_ComeInPagesOfAtMostOneMegabyte()
    {
        var text = new string('x', 50_000);
        for (var i = 0; i < 45; i++)
        {
            var item = new JsonObjectBuilder(2).Set("OrderId", S($"o{i:D2}")).Set("note", S(text)).Build();
            var put = await _t.Cloud.Tables.ExecuteAsync("PutItem", new JsonObjectBuilder(2).Set("TableName", "orders").Set("Item", item).Build(), CancellationToken.None);
            Assert.False(put.Failed, put.Error?.ToString());
        }
        var pages = await ScanAll("orders", limit: null);
        Assert.True(pages.Count >= 3, $"45 items of 50 KB came in {pages.Count} page(s)");
        Assert.All(pages, page => Assert.InRange(page.Count * text.Length, 1, LocalTables.MaxPageBytes + text.Length));
        Assert.Equal(Enumerable.Range(0, 45).Select(i => $"o{i:D2}"), pages.SelectMany(p => p));
    }

    [Fact]
    public async Task Scan_StartKeyNoLongerStored_ContinuesAfterIt()
    {
        foreach (var id in new[] { "a", "b", "c", "d" })
        {
            await _t.Ddb("PutItem", $"{{'TableName':'orders','Item':{{'OrderId':{{'S':'{id}'}}}}}}");
        }
        var first = await _t.Ddb("Scan", "{'TableName':'orders','Limit':2}");
        Assert.Equal(J("{'OrderId':{'S':'b'}}"), first["LastEvaluatedKey"]);
        await _t.Ddb("DeleteItem", "{'TableName':'orders','Key':{'OrderId':{'S':'b'}}}");
        var rest = await _t.Ddb("Scan", "{'TableName':'orders','ExclusiveStartKey':{'OrderId':{'S':'b'}}}");
        Assert.Equal(new[] { "c", "d" }, ((JsonArray)rest["Items"]!).Select(i => Text(i, "OrderId")));
        Assert.False(rest.ContainsKey("LastEvaluatedKey"));
    }

    [Fact]
    public async Task Scan_TableWithSortKey_VisitsEveryPartitionAndSortKeyOnce()
    {
        foreach (var (order, line) in new[] { ("B", 2), ("A", 1), ("B", 1), ("A", 3) })
        {
            await _t.Ddb("PutItem", $"{{'TableName':'lines','Item':{{'OrderId':{{'S':'{order}'}},'Line':{{'N':'{line}'}}}}}}");
        }
        var pages = await ScanAll("lines", limit: 1, key: item => $"{Text(item, "OrderId")}{((JsonString)((JsonObject)((JsonObject)item)["Line"]!)["N"]!).Value}");
        Assert.Equal(["A1", "A3", "B1", "B2"], pages.SelectMany(p => p));
    }

    [Fact]
    public async Task Scan_LimitEndsOnTheLastItem_HasNoLastEvaluatedKey()
    {
        await _t.Ddb("PutItem", "{'TableName':'orders','Item':{'OrderId':{'S':'only'}}}");
        var page = await _t.Ddb("Scan", "{'TableName':'orders','Limit':1}");
        Assert.Equal(JsonValue.FromNumber(1), page["Count"]);
        Assert.False(page.ContainsKey("LastEvaluatedKey"));
    }

    [Fact]
    public async Task Scan_ParallelSegments_EachItemInExactlyOneSegment_EachSegmentInKeyOrder()
    {
        for (var i = 0; i < 200; i++)
        {
            await _t.Ddb("PutItem", $"{{'TableName':'orders','Item':{{'OrderId':{{'S':'o{i:D3}'}}}}}}");
        }

        var segments = new List<List<string>>();
        for (var segment = 0; segment < 3; segment++)
        {
            segments.Add([.. (await ScanAll("orders", limit: 7, segment: (segment, 3))).SelectMany(p => p)]);
        }

        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"o{i:D3}"), segments.SelectMany(s => s).Order(StringComparer.Ordinal));
        Assert.All(segments, s => Assert.InRange(s.Count, 30, 110)); // split, if not evenly
        Assert.All(segments, s => Assert.Equal(s.Order(StringComparer.Ordinal), s));
        Assert.Equal(segments[1], (await ScanAll("orders", limit: null, segment: (1, 3))).SelectMany(p => p));
    }

    [Theory]
    [InlineData("'Segment':0", "The TotalSegments parameter is required but was not present")]
    [InlineData("'TotalSegments':2", "The Segment parameter is required but was not present")]
    [InlineData("'Segment':2,'TotalSegments':2", "Segment: 2 is not less than TotalSegments: 2")]
    [InlineData("'Segment':0,'TotalSegments':0", "at 'totalSegments' failed to satisfy constraint")]
    [InlineData("'Segment':-1,'TotalSegments':2", "at 'segment' failed to satisfy constraint")]
    public async Task Scan_SegmentsOutOfRangeOrAlone_ValidationException(string segment, string message)
    {
        var error = await _t.DdbError("Scan", $"{{'TableName':'orders',{segment}}}");

        Assert.Equal("ValidationException", error.Code);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    /// <summary>Every page of a Scan, each as the keys it returned (by <paramref name="key"/>, the OrderId by default).</summary>
    private async Task<List<List<string>>> ScanAll(string table, int? limit, Func<JsonValue, string>? key = null, (int Segment, int Total)? segment = null)
    {
        var pages = new List<List<string>>();
        JsonValue? start = null;
        do
        {
            var request = new JsonObjectBuilder(3).Set("TableName", table);
            if (limit is { } l)
            {
                request.Set("Limit", l);
            }
            if (start is not null)
            {
                request.Set("ExclusiveStartKey", start);
            }
            if (segment is { } part)
            {
                request.Set("Segment", part.Segment).Set("TotalSegments", part.Total);
            }
            var page = await _t.Cloud.Tables.ExecuteAsync("Scan", request.Build(), CancellationToken.None);
            Assert.False(page.Failed, page.Error?.ToString());
            pages.Add([.. ((JsonArray)page.Value["Items"]!).Select(key ?? (i => Text(i, "OrderId")))]);
            start = page.Value["LastEvaluatedKey"];
            Assert.True(pages.Count < 1000, "the scan does not end");
        }
        while (start is not null);
        return pages;
    }

    private static JsonObject S(string value) => JsonObject.Of("S", new JsonString(value));

    private static string Text(JsonValue item, string name) => ((JsonString)((JsonObject)((JsonObject)item)[name]!)["S"]!).Value;
}
