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

    private static JsonObject At(JsonObject value, params string[] path) => path.Aggregate(value, (o, name) => (JsonObject)o[name]!);

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
    public void Sort_NewSameOtherAndHashlessStoredOrders_FreshStoredTogetherDuplicatesCountedConflictsRejectedTheRestAgain()
    {
        var same = Order("B");
        var state = BatchState(Order("A"), same, Order("C", qty: 3), Order("D"), Order("E"));
        var found = JsonObject.Of("orders", new JsonArray([Stored("B", HashOf(same)), Stored("C", HashOf(Order("C", qty: 9))), Stored("D", null)]));

        var next = ValidateOrderFunction.Invoke(JsonObject.Of("SortStored", WithLookup(state, found, JsonObject.Empty)));

        Assert.Equal(["A", "E"], ((JsonArray)next["fresh"]!).Select(p => ((JsonString)((JsonObject)((JsonObject)((JsonObject)((JsonObject)p)["Put"]!)["Item"]!)["OrderId"]!)["S"]!).Value));
        var sorted = (JsonObject)next["sorted"]!;
        Assert.Equal(JsonNumber.FromInt64(2), sorted["freshCount"]);
        Assert.Equal(JsonNumber.FromInt64(1), sorted["duplicates"]);
        Assert.Equal(["D"], OrderIds(sorted["again"]));
        Assert.Equal(["A", "D", "E"], OrderIds(sorted["againWithFresh"]));
        // C conflicts: rejected with the batch's invalid orders, with the verdict's rejection id, marked as a conflict.
        var conflict = (JsonObject)Assert.Single((JsonArray)next["rejects"]!);
        var verdict = ValidateOrderFunction.Invoke(Order("C", qty: 3));
        Assert.Equal(JsonValue.True, conflict["conflict"]);
        Assert.Equal(verdict["rejectionId"], conflict["rejectionId"]);
        Assert.Equal(verdict["order"], conflict["order"]);
        Assert.Equal(JsonObject.Of("RejectionId", JsonObject.Of("S", verdict["rejectionId"]!)), Assert.Single((JsonArray)next["rejectionKeys"]!));
        // The batch's writes and the lookup are shed; everything else is carried as it was.
        Assert.Equal(["single", "rejects", "rejectionKeys", "alone", "rejected", "fresh", "sorted"], next.Members.Select(m => m.Key));
        Assert.Same(state["single"], next["single"]);
    }

    [Fact]
    public void Sort_OrderStoredWithItsHashAsWritten_IsADuplicate()
    {
        // Versions before 2026-12-03 stored the hash of the order as written: a quantity "2" hashed as a string.
        var order = JsonValue.Parse("""
            {"order":{"order-info":{"OrderId":"W","item-id":"101","qty":"2"},"contact-info":{"name":"Foo Bar","email":"foobar@test.com"}},
             "source":{"bucket":"orderflow-inbox","key":"orders.jsonl","position":1}}
            """);
        var asWritten = ((JsonString)ValidateOrderFunction.Invoke(order)["contentHashAsWritten"]!).Value;
        Assert.NotEqual(HashOf(order), asWritten);
        var state = BatchState(order);

        var next = ValidateOrderFunction.Invoke(JsonObject.Of("SortStored", WithLookup(state, JsonObject.Of("orders", new JsonArray([Stored("W", asWritten)])), JsonObject.Empty)));

        Assert.Equal(JsonNumber.FromInt64(1), ((JsonObject)next["sorted"]!)["duplicates"]);
        Assert.Empty((JsonArray)next["rejects"]!);
        Assert.Empty((JsonArray)((JsonObject)next["sorted"]!)["again"]!);
    }

    [Fact]
    public void Plan_ConflictFromTheLookup_WordedAsTheDefinitionsConflictState()
    {
        var verdict = ValidateOrderFunction.Invoke(Order("C"));
        var plan = ValidateOrderFunction.Invoke(JsonObject.Of("PendingRejections", new JsonObjectBuilder(4)
            .Set("rejects", new JsonArray([PendingRejections.Conflict(verdict)])).Set("found", JsonObject.Empty)
            .Set("unprocessed", JsonObject.Empty).Set("table", "order-rejections").Build()));

        Assert.Equal(JsonValue.Parse("""[{"outcome":"rejected","reason":"conflicting duplicate"}]"""), plan["outcomes"]);
        var entry = (JsonObject)((JsonArray)((JsonArray)plan["messages"]!)[0])[0];
        var body = (JsonObject)JsonValue.Parse(((JsonString)entry["MessageBody"]!).Value);
        // The one-at-a-time path's message for a conflict: the same members, in the same order, with the same reason.
        var definition = (JsonObject)JsonValue.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "definitions", "order-pipeline.asl.json")));
        var conflictState = At(definition, "States", "Orders JSONL", "ItemProcessor", "States", "Each List JSONL", "ItemProcessor", "States",
            "Each Order JSONL", "ItemProcessor", "States", "Conflict JSONL");
        var template = (JsonObject)((JsonObject)conflictState["Parameters"]!)["MessageBody"]!;
        Assert.Equal(template.Members.Select(m => m.Key.TrimEnd('$').TrimEnd('.')), body.Members.Select(m => m.Key));
        Assert.Equal(template["reasons"], body["reasons"]);
        Assert.Equal(verdict["orderId"], body["orderId"]);
        Assert.Equal(verdict["rejectionId"], body["rejectionId"]);
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
