using System.Text;
using OrderFlow.Json;

namespace OrderFlow.Orders.Tests;

/// <summary>The lookup of a batch whose transaction met stored OrderIds: its keys, then the batch sorted by what is stored.</summary>
public class StoredOrdersTests
{
    private static JsonValue Order(string id, int qty = 1) => JsonValue.Parse($$$"""
        {"order":{"order-info":{"OrderId":"{{{id}}}","item-id":"101","qty":{{{qty}}}},"contact-info":{"name":"Foo Bar","email":"foobar@test.com"}},
         "source":{"bucket":"orderflow-inbox","key":"orders.jsonl","position":1}}
        """);

    /// <summary>The batch's state after its transaction was cancelled: the function's answer for these orders.</summary>
    private static JsonObject BatchState(params JsonValue[] orders)
    {
        var result = ValidateOrderFunction.Invoke(new JsonObjectBuilder(2).Set("Items", new JsonArray(orders))
            .Set("BatchInput", JsonObject.Of("ordersTable", new JsonString("orders"))).Build());
        return new JsonObjectBuilder(8).Set("valid", result["valid"]!).Set("single", result["single"]!).Set("puts", result["puts"]!)
            .Set("rejects", result["rejects"]!).Set("rejectionKeys", result["rejectionKeys"]!).Set("alone", JsonArray.Empty).Set("rejected", JsonArray.Empty).Build();
    }

    private static JsonObject Stored(string id, string? hash) => hash is null
        ? JsonObject.Of("OrderId", JsonObject.Of("S", new JsonString(id)))
        : new JsonObjectBuilder(2).Set("OrderId", JsonObject.Of("S", new JsonString(id))).Set("contentHash", JsonObject.Of("S", new JsonString(hash))).Build();

    private static string HashOf(JsonValue order) => ((JsonString)((JsonObject)((JsonObject)ValidateOrderFunction.Invoke(order)["item"]!)["contentHash"]!)["S"]!).Value;

    private static JsonObject WithLookup(JsonObject state, JsonValue found, JsonValue unprocessed) =>
        JsonObject.Create([.. state.Members, new("lookup", new JsonObjectBuilder(2).Set("found", found).Set("unprocessed", unprocessed).Build())]);

    private static IEnumerable<string> OrderIds(JsonValue? orders) =>
        ((JsonArray)orders!).Select(o => ((JsonString)((JsonObject)((JsonObject)((JsonObject)o)["order"]!)["order-info"]!)["OrderId"]!).Value);

    [Fact]
    public void Keys_OfTheBatchsPuts_OneOrderIdKeyEach()
    {
        var state = BatchState(Order("A"), Order("B"));

        var keys = (JsonArray)ValidateOrderFunction.Invoke(JsonObject.Of("StoredKeys", JsonObject.Of("puts", state["puts"]!)))["keys"]!;

        Assert.Equal(JsonValue.Parse("""[{"OrderId":{"S":"A"}},{"OrderId":{"S":"B"}}]"""), keys);
    }

    [Fact]
    public void Keys_ThroughTheLambdaEntryPoint_SameAnswer()
    {
        var input = JsonObject.Of("StoredKeys", JsonObject.Of("puts", BatchState(Order("A"))["puts"]!)).ToJsonString();

        using var output = ValidateOrderFunction.Handle(new MemoryStream(Encoding.UTF8.GetBytes(input)));

        Assert.Equal(JsonValue.Parse("""{"keys":[{"OrderId":{"S":"A"}}]}"""), JsonValue.Parse(new StreamReader(output).ReadToEnd()));
    }

    [Fact]
    public void Sort_NewSameOtherAndHashlessStoredOrders_FreshStoredTogetherDuplicatesCountedTheRestAgain()
    {
        var same = Order("B");
        var state = BatchState(Order("A"), same, Order("C", qty: 3), Order("D"), Order("E"));
        var found = JsonObject.Of("orders", new JsonArray([Stored("B", HashOf(same)), Stored("C", HashOf(Order("C", qty: 9))), Stored("D", null)]));

        var next = ValidateOrderFunction.Invoke(JsonObject.Of("SortStored", WithLookup(state, found, JsonObject.Empty)));

        Assert.Equal(["A", "E"], ((JsonArray)next["fresh"]!).Select(p => ((JsonString)((JsonObject)((JsonObject)((JsonObject)((JsonObject)p)["Put"]!)["Item"]!)["OrderId"]!)["S"]!).Value));
        var sorted = (JsonObject)next["sorted"]!;
        Assert.Equal(JsonNumber.FromInt64(2), sorted["freshCount"]);
        Assert.Equal(JsonNumber.FromInt64(1), sorted["duplicates"]);
        Assert.Equal(["C", "D"], OrderIds(sorted["again"]));
        Assert.Equal(["A", "C", "D", "E"], OrderIds(sorted["againWithFresh"]));
        // The batch's writes and the lookup are shed; everything else is carried as it was.
        Assert.Equal(["single", "rejects", "rejectionKeys", "alone", "rejected", "fresh", "sorted"], next.Members.Select(m => m.Key));
        Assert.Same(state["single"], next["single"]);
    }

    [Fact]
    public void Sort_LookupLeftKeysUnprocessed_NothingFreshEveryOrderAgain()
    {
        var state = BatchState(Order("A"), Order("B"));
        var unprocessed = JsonValue.Parse("""{"orders":{"Keys":[{"OrderId":{"S":"B"}}]}}""");

        var next = ValidateOrderFunction.Invoke(JsonObject.Of("SortStored", WithLookup(state, JsonObject.Of("orders", JsonArray.Empty), unprocessed)));

        Assert.Empty((JsonArray)next["fresh"]!);
        Assert.Equal(["A", "B"], OrderIds(((JsonObject)next["sorted"]!)["again"]));
        Assert.Equal(JsonNumber.FromInt64(0), ((JsonObject)next["sorted"]!)["duplicates"]);
    }
}
