using System.Text;
using OrderFlow.Json;

namespace OrderFlow.Orders.Tests;

/// <summary>The validate-order function on a Distributed Map batch (<c>{"Items": [...], "BatchInput": {...}}</c>).</summary>
public class ValidateBatchTests
{
    // Step Functions' quota on a state's input or output:
    // https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html#service-limits-task-executions
    private const int StatePayloadQuota = 256 * 1024;

    private static JsonValue Order(string id, string email = "foobar@test.com", string description = "Item One", string key = "orders.jsonl") => JsonValue.Parse($$$"""
        {"order":{"order-info":{"OrderId":"{{{id}}}","item-id":"101","item-desc":"{{{description}}}","qty":"2"},
                  "contact-info":{"name":"Foo Bar","email":"{{{email}}}"}},
         "source":{"bucket":"orderflow-inbox","key":"{{{key}}}","position":123456}}
        """);

    private static JsonObject Batch(IEnumerable<JsonValue> items) => new JsonObjectBuilder(2)
        .Set("Items", new JsonArray([.. items]))
        .Set("BatchInput", new JsonObjectBuilder(1).Set("ordersTable", "orders").Build())
        .Build();

    [Fact]
    public void Invoke_ValidInvalidAndRepeatedOrderIds_StoresDistinctValidOrdersTogether()
    {
        var result = ValidateOrderFunction.Invoke(Batch([Order("A-1"), Order("A-2", email: "not an address"), Order("A-3"), Order("A-1", description: "changed")]));

        var valid = (JsonArray)result["valid"]!;
        var single = (JsonArray)result["single"]!;
        var puts = (JsonArray)result["puts"]!;
        // Valid orders stored together are answered as the batch gave them, with no verdict (no rejection id to make).
        Assert.Equal(["A-1", "A-3"], valid.Select(v => ((JsonString)((JsonObject)((JsonObject)((JsonObject)v)["order"]!)["order-info"]!)["OrderId"]!).Value));
        Assert.All(valid, v => Assert.False(((JsonObject)v).ContainsKey("valid")));
        // The invalid order and the later order repeating an OrderId are handled one at a time.
        Assert.Equal(["A-2", "A-1"], single.Select(v => ((JsonString)((JsonObject)v)["orderId"]!).Value));
        Assert.Equal(JsonValue.False, ((JsonObject)single[0])["valid"]);
        Assert.Equal(2, puts.Count);
        var put = (JsonObject)((JsonObject)puts[0])["Put"]!;
        Assert.Equal("orders", ((JsonString)put["TableName"]!).Value);
        Assert.Equal("attribute_not_exists(OrderId)", ((JsonString)put["ConditionExpression"]!).Value);
        Assert.Equal("A-1", ((JsonString)((JsonObject)((JsonObject)put["Item"]!)["OrderId"]!)["S"]!).Value);
    }

    [Fact]
    public void Invoke_SameOrdersOneByOneOrInABatch_SameVerdictsAndItems()
    {
        JsonValue[] items = [Order("B-1"), Order("B-2", email: "@"), Order("B-3"), Order("B-1", description: "changed")];
        var batch = ValidateOrderFunction.Invoke(Batch(items));
        var alone = items.Select(i => ValidateOrderFunction.Invoke(i)).ToArray();

        Assert.Equal([items[0], items[2]], (JsonArray)batch["valid"]!);
        // Each put stores the item the order's own verdict holds (the re-validation the one-at-a-time path does).
        Assert.Equal([alone[0]["item"]!.ToJsonString(), alone[2]["item"]!.ToJsonString()],
            ((JsonArray)batch["puts"]!).Select(p => ((JsonObject)((JsonObject)p)["Put"]!)["Item"]!.ToJsonString()));
        // The invalid order and the repeated OrderId get the verdicts they get alone, rejection ids included.
        Assert.Equal([alone[1].ToJsonString(), alone[3].ToJsonString()], ((JsonArray)batch["single"]!).Select(v => v.ToJsonString()));
    }

    /// <summary>
    /// The pipeline keeps the batch function's answer (<c>valid</c>, <c>single</c>, <c>puts</c>, <c>rejects</c>,
    /// <c>rejectionKeys</c>) as the state's output, and for invalid orders adds the lookup and the rejection plan (every
    /// message, with the order again), so the largest batch the definition's ItemBatcher can form must stay within the
    /// 256 KiB quota at its fullest, whether its orders are all valid (each answered with its item, twice) or all
    /// invalid (each with its violations, and its message).
    /// </summary>
    [Theory]
    [InlineData(true, 12)]
    [InlineData(false, 12)]
    [InlineData(true, 1024)] // S3's longest key
    [InlineData(false, 1024)]
    public void Invoke_LargestBatchTheDefinitionForms_AnswersWithinTheStatePayloadQuota(bool valid, int keyLength)
    {
        var key = keyLength <= 12 ? "orders.jsonl" : "orders/" + new string('k', keyLength - "orders/.jsonl".Length) + ".jsonl";
        var definition = (JsonObject)JsonValue.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "definitions", "order-pipeline.asl.json")));
        var batchers = ((JsonObject)definition["States"]!).Members.Select(m => ((JsonObject)m.Value)["ItemBatcher"]).OfType<JsonObject>().ToList();
        Assert.NotEmpty(batchers);
        foreach (var batcher in batchers)
        {
            var maxItems = (int)((JsonNumber)batcher["MaxItemsPerBatch"]!).Value;
            var maxBytes = (int)((JsonNumber)batcher["MaxInputBytesPerBatch"]!).Value;
            foreach (var descriptionLength in new[] { 10, 200, 1_000, 20_000 })
            {
                var items = new List<JsonValue>();
                while (items.Count < maxItems)
                {
                    var next = Order($"O-{items.Count}", email: valid ? "foobar@test.com" : "not an address", description: new string('x', descriptionLength), key: key);
                    if (Encoding.UTF8.GetByteCount(Batch([.. items, next]).ToJsonString()) > maxBytes)
                    {
                        break;
                    }
                    items.Add(next);
                }
                var result = ValidateOrderFunction.Invoke(new JsonObjectBuilder(2).Set("Items", new JsonArray([.. items])).Set("BatchInput", batcher["BatchInput"]!).Build());
                var state = new JsonObjectBuilder(10).Set("valid", result["valid"]!).Set("single", result["single"]!).Set("puts", result["puts"]!)
                    .Set("rejects", result["rejects"]!).Set("rejectionKeys", result["rejectionKeys"]!).Set("alone", JsonArray.Empty).Set("rejected", JsonArray.Empty)
                    .Set("batchStore", new JsonObjectBuilder(2).Set("stored", JsonNumber.FromInt64(items.Count)).Set("again", JsonArray.Empty).Build());
                if (!valid)
                {
                    Assert.Equal(items.Count, ((JsonArray)result["rejects"]!).Count);
                    var found = JsonObject.Of("${RejectionsTable}", JsonArray.Empty);
                    var plan = ValidateOrderFunction.Invoke(JsonObject.Of("PendingRejections", new JsonObjectBuilder(4)
                        .Set("rejects", result["rejects"]!).Set("found", found).Set("unprocessed", JsonObject.Empty).Set("table", "${RejectionsTable}").Build()));
                    state.Set("check", new JsonObjectBuilder(2).Set("found", found).Set("unprocessed", JsonObject.Empty).Build()).Set("pending", plan);
                }
                var size = Encoding.UTF8.GetByteCount(state.Build().ToJsonString());
                Assert.True(size <= StatePayloadQuota, $"{items.Count} orders with {descriptionLength}-character descriptions from a {key.Length}-character key answered with {size:N0} bytes");
                if (valid)
                {
                    // A batch that met stored orders: the largest sorted states are every order fresh (none stored after
                    // all) and every order a conflict (all stored with other content); the sorted state sheds the writes.
                    foreach (var allStored in new[] { false, true })
                    {
                        var found = new JsonArray([.. ((JsonArray)result["puts"]!).Select(p => (JsonValue)new JsonObjectBuilder(2)
                            .Set("OrderId", ((JsonObject)((JsonObject)((JsonObject)p)["Put"]!)["Item"]!)["OrderId"]!)
                            .Set("contentHash", JsonObject.Of("S", new JsonString(new string('f', 32)))).Build())]);
                        var lookedUp = new JsonObjectBuilder(8).Set("valid", result["valid"]!).Set("single", result["single"]!).Set("puts", result["puts"]!)
                            .Set("rejects", result["rejects"]!).Set("rejectionKeys", result["rejectionKeys"]!).Set("alone", JsonArray.Empty).Set("rejected", JsonArray.Empty)
                            .Set("lookup", new JsonObjectBuilder(2).Set("found", JsonObject.Of("${OrdersTable}", allStored ? found : JsonArray.Empty)).Set("unprocessed", JsonObject.Empty).Build()).Build();
                        var sorted = ValidateOrderFunction.Invoke(JsonObject.Of("SortStored", lookedUp));
                        // Every order stored with other content is a conflict, rejected with the batch: its plan too.
                        var none = JsonObject.Of("${RejectionsTable}", JsonArray.Empty);
                        var planned = JsonObject.Create([.. sorted.Members,
                            new("check", new JsonObjectBuilder(2).Set("found", none).Set("unprocessed", JsonObject.Empty).Build()),
                            new("pending", ValidateOrderFunction.Invoke(JsonObject.Of("PendingRejections", new JsonObjectBuilder(4)
                                .Set("rejects", sorted["rejects"]!).Set("found", none).Set("unprocessed", JsonObject.Empty).Set("table", "${RejectionsTable}").Build())))]);
                        Assert.Equal(((JsonArray)result["rejects"]!).Count + (allStored ? ((JsonArray)result["valid"]!).Count : 0), ((JsonArray)sorted["rejects"]!).Count);
                        foreach (var (what, payload) in new[] { ("looked up", lookedUp), ("sorted", sorted), ("planned", planned) })
                        {
                            var bytes = Encoding.UTF8.GetByteCount(payload.ToJsonString());
                            Assert.True(bytes <= StatePayloadQuota, $"{items.Count} orders with {descriptionLength}-character descriptions, {what}: {bytes:N0} bytes");
                        }
                    }
                }
            }
        }
    }
}
