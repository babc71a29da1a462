using OrderFlow.Json;

namespace OrderFlow.Orders.Tests;

/// <summary>
/// A batch's invalid orders rejected together: the validate-order function puts them in <c>rejects</c> when the batch
/// names its rejections table, then plans one SendMessageBatch per 10 messages and one BatchWriteItem per 25 records
/// for those not sent before.
/// </summary>
public class PendingRejectionsTests
{
    private static JsonValue Order(int position, string email = "not an address") => JsonValue.Parse($$$"""
        {"order":{"order-info":{"OrderId":"R-{{{position}}}","item-id":"101","qty":"2"},"contact-info":{"name":"Foo Bar","email":"{{{email}}}"}},
         "source":{"bucket":"orderflow-inbox","key":"orders.jsonl","position":{{{position}}}}}
        """);

    private static JsonObject ValidateTogether(IEnumerable<JsonValue> items) => ValidateOrderFunction.Invoke(new JsonObjectBuilder(2)
        .Set("Items", new JsonArray([.. items]))
        .Set("BatchInput", new JsonObjectBuilder(2).Set("ordersTable", "orders").Set("rejectionsTable", "order-rejections").Build())
        .Build());

    private static JsonObject Plan(JsonObject batch, JsonObject? found = null, JsonObject? unprocessed = null) => ValidateOrderFunction.Invoke(
        JsonObject.Of("PendingRejections", new JsonObjectBuilder(4)
            .Set("rejects", batch["rejects"]!)
            .Set("found", found ?? JsonObject.Empty)
            .Set("unprocessed", unprocessed ?? JsonObject.Empty)
            .Set("table", "order-rejections")
            .Build()));

    private static string RejectionId(JsonValue reject) => ((JsonString)((JsonObject)reject)["rejectionId"]!).Value;

    [Fact]
    public void ValidateBatch_RejectionsTableNamed_PutsInvalidOrdersInRejectsWithTheirKeys()
    {
        var batch = ValidateTogether([Order(1), Order(2, email: "a@b.co"), Order(3)]);

        var rejects = (JsonArray)batch["rejects"]!;
        Assert.Equal(2, rejects.Count);
        Assert.Empty((JsonArray)batch["single"]!);
        Assert.Single((JsonArray)batch["valid"]!);
        Assert.Equal(
            rejects.Select(RejectionId),
            ((JsonArray)batch["rejectionKeys"]!).Select(k => ((JsonString)((JsonObject)((JsonObject)k)["RejectionId"]!)["S"]!).Value));
    }

    [Fact]
    public void Plan_TwentyThreeNew_ThreeMessageBatchesOneRecordBatch()
    {
        var batch = ValidateTogether(Enumerable.Range(0, 23).Select(i => Order(i)));

        var plan = Plan(batch);

        Assert.Equal(JsonValue.False, plan["fallback"]);
        Assert.Equal([10, 10, 3], ((JsonArray)plan["messages"]!).Select(m => ((JsonArray)m).Count));
        var records = (JsonArray)plan["records"]!;
        Assert.Equal(23, ((JsonArray)((JsonObject)((JsonObject)records.Single())["RequestItems"]!)["order-rejections"]!).Count);
        Assert.All((JsonArray)plan["outcomes"]!, o => Assert.Equal("""{"outcome":"rejected","reason":"invalid"}""", o.ToJsonString()));
    }

    [Fact]
    public void Plan_ThirtyNew_RecordsInBatchesOfTwentyFive()
    {
        var plan = Plan(ValidateTogether(Enumerable.Range(0, 30).Select(i => Order(i))));

        Assert.Equal([25, 5], ((JsonArray)plan["records"]!).Select(r => ((JsonArray)((JsonObject)((JsonObject)r)["RequestItems"]!)["order-rejections"]!).Count));
    }

    [Fact]
    public void Plan_MessageAndRecord_AreWhatTheOneAtATimePathSendsAndWrites()
    {
        var batch = ValidateTogether([Order(7)]);
        var reject = (JsonObject)((JsonArray)batch["rejects"]!)[0];

        var plan = Plan(batch);

        var entry = (JsonObject)((JsonArray)((JsonArray)plan["messages"]!)[0])[0];
        Assert.Equal("0", ((JsonString)entry["Id"]!).Value);
        var body = (JsonObject)JsonValue.Parse(((JsonString)entry["MessageBody"]!).Value);
        Assert.Equal(["error", "reasons", "source", "order", "rejectionId"], body.Members.Select(m => m.Key));
        Assert.Equal("OrderRejected", ((JsonString)body["error"]!).Value);
        Assert.Equal(reject["violations"], body["reasons"]);
        Assert.Equal(reject["source"], body["source"]);
        Assert.Equal(reject["order"], body["order"]);
        var put = (JsonObject)((JsonArray)((JsonObject)((JsonObject)((JsonArray)plan["records"]!)[0])["RequestItems"]!)["order-rejections"]!)[0];
        Assert.Equal(
            "{\"PutRequest\":{\"Item\":{\"RejectionId\":{\"S\":\"" + RejectionId(reject) + "\"},\"orderId\":{\"S\":\"R-7\"}}}}",
            put.ToJsonString());
    }

    [Fact]
    public void Plan_SomeAlreadyRecorded_SendsOnlyTheOthers()
    {
        var batch = ValidateTogether([Order(1), Order(2), Order(3)]);
        var rejects = (JsonArray)batch["rejects"]!;
        var found = JsonObject.Of("order-rejections", new JsonArray([JsonObject.Of("RejectionId", JsonObject.Of("S", new JsonString(RejectionId(rejects[1]))))]));

        var plan = Plan(batch, found);

        var sent = ((JsonArray)((JsonArray)plan["messages"]!)[0]).Select(e => JsonValue.Parse(((JsonString)((JsonObject)e)["MessageBody"]!).Value));
        Assert.Equal([RejectionId(rejects[0]), RejectionId(rejects[2])], sent.Select(b => ((JsonString)((JsonObject)b)["rejectionId"]!).Value));
        Assert.Equal(["invalid", "already rejected", "invalid"], ((JsonArray)plan["outcomes"]!).Select(o => ((JsonString)((JsonObject)o)["reason"]!).Value));
    }

    [Fact]
    public void Plan_LookupLeftKeysUnprocessed_FallsBackToOneAtATime()
    {
        var batch = ValidateTogether([Order(1)]);

        var plan = Plan(batch, unprocessed: JsonObject.Of("order-rejections", JsonObject.Of("Keys", batch["rejectionKeys"]!)));

        Assert.Equal(JsonValue.True, plan["fallback"]);
        Assert.Empty((JsonArray)plan["messages"]!);
    }

    [Fact]
    public void Plan_LargeOrders_MessageBatchesStayUnderSqsBatchSize()
    {
        var description = new string('x', 60_000);
        var large = Enumerable.Range(0, 6).Select(i => JsonValue.Parse($$$"""
            {"order":{"order-info":{"OrderId":"L-{{{i}}}","item-id":"101","item-desc":"{{{description}}}","qty":"0"},"contact-info":{"name":"N","email":"a@b.co"}},
             "source":{"bucket":"b","key":"k","position":{{{i}}}}}
            """));

        var plan = Plan(ValidateTogether(large));

        var batches = ((JsonArray)plan["messages"]!).Cast<JsonArray>().ToList();
        Assert.Equal(6, batches.Sum(b => b.Count));
        Assert.True(batches.Count > 1);
        Assert.All(batches, b => Assert.InRange(b.Sum(e => System.Text.Encoding.UTF8.GetByteCount(((JsonString)((JsonObject)e)["MessageBody"]!).Value)), 1, PendingRejections.MaxBatchBodyBytes));
    }
}
