using OrderFlow.Json;
using OrderFlow.Local.Tables;
using static OrderFlow.Local.Tests.TestCloud;

namespace OrderFlow.Local.Tests;

/// <summary>DynamoDB semantics of the embedded table: items, keys, conditions, updates, queries and errors.</summary>
public sealed class TableTests : IAsyncLifetime
{
    private readonly TestCloud _t = new();

    public async Task InitializeAsync()
    {
        await _t.Cloud.Tables.CreateTableAsync(new TableSchema("orders", "OrderId", "S", null, null), CancellationToken.None);
        await _t.Cloud.Tables.CreateTableAsync(new TableSchema("lines", "OrderId", "S", "Line", "N"), CancellationToken.None);
    }

    public async Task DisposeAsync() => await _t.DisposeAsync();

    private Task Put(string item) => _t.Ddb("PutItem", $"{{'TableName':'orders','Item':{item}}}");

    /// <summary>The text of an item's attribute of the given type (<c>item[name][type]</c>).</summary>
    private static string Attribute(JsonValue item, string name, string type) => ((JsonString)((JsonObject)((JsonObject)item)[name]!)[type]!).Value;

    /// <summary>The text of a stored order's attribute, read with GetItem.</summary>
    private async Task<string> StoredAttribute(string orderId, string name, string type) =>
        Attribute((await _t.Ddb("GetItem", $"{{'TableName':'orders','Key':{{'OrderId':{{'S':'{orderId}'}}}}}}"))["Item"]!, name, type);

    [Fact]
    public async Task PutThenGet_ReturnsTheItem_AndMissingKeyReturnsNoItem()
    {
        await Put("{'OrderId':{'S':'1'},'qty':{'N':'2'},'tags':{'SS':['a','b']},'m':{'M':{'x':{'L':[{'BOOL':true},{'NULL':true}]}}}}");
        var got = await _t.Ddb("GetItem", "{'TableName':'orders','Key':{'OrderId':{'S':'1'}}}");
        Assert.Equal(J("{'OrderId':{'S':'1'},'qty':{'N':'2'},'tags':{'SS':['a','b']},'m':{'M':{'x':{'L':[{'BOOL':true},{'NULL':true}]}}}}"), got["Item"]);
        Assert.Equal(JsonObject.Empty, await _t.Ddb("GetItem", "{'TableName':'orders','Key':{'OrderId':{'S':'2'}}}"));
    }

    [Theory]
    [InlineData("attribute_not_exists(OrderId)", false)]
    [InlineData("attribute_exists(OrderId)", true)]
    [InlineData("qty = :two", true)]
    [InlineData("qty <> :two", false)]
    [InlineData("qty < :three AND qty >= :two", true)]
    [InlineData("qty BETWEEN :two AND :three", true)]
    [InlineData("qty IN (:three, :two)", true)]
    [InlineData("NOT qty = :two", false)]
    [InlineData("qty = :three OR begins_with(#s, :pre)", true)]
    [InlineData("contains(tags, :tag)", true)]
    [InlineData("contains(#s, :pre)", true)]
    [InlineData("attribute_type(qty, :n)", true)]
    [InlineData("size(tags) = :two", true)]
    [InlineData("(qty = :two) AND (attribute_not_exists(missing))", true)]
    public async Task PutItem_ConditionExpression_IsEvaluatedAgainstStoredItem(string condition, bool holds)
    {
        await Put("{'OrderId':{'S':'1'},'qty':{'N':'2'},'status':{'S':'paid'},'tags':{'SS':['a','b']}}");
        var names = condition.Contains("#s", StringComparison.Ordinal) ? ",'ExpressionAttributeNames':{'#s':'status'}" : string.Empty;
        var values = new[] { ":two", ":three", ":pre", ":tag", ":n" }.Where(v => condition.Contains(v, StringComparison.Ordinal))
            .Select(v => v switch
            {
                ":two" => "':two':{'N':'2'}",
                ":three" => "':three':{'N':'3'}",
                ":pre" => "':pre':{'S':'pa'}",
                ":tag" => "':tag':{'S':'a'}",
                _ => "':n':{'S':'N'}",
            });
        var valuesJson = values.Any() ? $",'ExpressionAttributeValues':{{{string.Join(",", values)}}}" : string.Empty;
        var request = $"{{'TableName':'orders','Item':{{'OrderId':{{'S':'1'}},'qty':{{'N':'9'}}}},'ConditionExpression':'{condition}'{names}{valuesJson}}}";
        var result = await _t.Cloud.Tables.ExecuteAsync("PutItem", J(request), CancellationToken.None);
        Assert.Equal(holds, !result.Failed);
        if (!holds)
        {
            Assert.Equal("ConditionalCheckFailedException", result.Error!.Code);
        }
    }

    [Fact]
    public async Task PutItem_InsertOnly_SecondPutFailsAndKeepsFirst()
    {
        const string insert = "{'TableName':'orders','Item':{'OrderId':{'S':'1'},'v':{'S':'first'}},'ConditionExpression':'attribute_not_exists(OrderId)'}";
        await _t.Ddb("PutItem", insert);
        var error = await _t.DdbError("PutItem", insert.Replace("first", "second"));
        Assert.Equal("ConditionalCheckFailedException", error.Code);
        Assert.Equal(J("{'S':'first'}"), ((JsonObject)(await _t.Ddb("GetItem", "{'TableName':'orders','Key':{'OrderId':{'S':'1'}}}"))["Item"]!)["v"]);
    }

    [Fact]
    public async Task UpdateItem_SetRemoveAddDelete_ApplyAndReturnValues()
    {
        await Put("{'OrderId':{'S':'1'},'qty':{'N':'2'},'old':{'S':'x'},'tags':{'SS':['a','b']},'list':{'L':[{'N':'1'}]},'m':{'M':{'a':{'N':'1'}}}}");
        var result = await _t.Ddb("UpdateItem", """
            {'TableName':'orders','Key':{'OrderId':{'S':'1'}},
             'UpdateExpression':'SET qty = qty + :one, #st = if_not_exists(#st, :new), list = list_append(list, :more), m.b = :one REMOVE old ADD counter :one, tags :c',
             'ExpressionAttributeNames':{'#st':'status'},
             'ExpressionAttributeValues':{':one':{'N':'1'},':new':{'S':'new'},':more':{'L':[{'N':'2'}]},':c':{'SS':['c']}},
             'ReturnValues':'ALL_NEW'}
            """);
        Assert.Equal(J("{'OrderId':{'S':'1'},'qty':{'N':'3'},'tags':{'SS':['a','b','c']},'list':{'L':[{'N':'1'},{'N':'2'}]},'m':{'M':{'a':{'N':'1'},'b':{'N':'1'}}},'status':{'S':'new'},'counter':{'N':'1'}}"), result["Attributes"]);
        var deleted = await _t.Ddb("UpdateItem", "{'TableName':'orders','Key':{'OrderId':{'S':'1'}},'UpdateExpression':'DELETE tags :a','ExpressionAttributeValues':{':a':{'SS':['a','c']}},'ReturnValues':'UPDATED_OLD'}");
        Assert.Equal(J("{'tags':{'SS':['a','b','c']}}"), deleted["Attributes"]);
        var item = (JsonObject)(await _t.Ddb("GetItem", "{'TableName':'orders','Key':{'OrderId':{'S':'1'}},'ProjectionExpression':'tags'}"))["Item"]!;
        Assert.Equal(J("{'tags':{'SS':['b']}}"), item);
    }

    [Fact]
    public async Task UpdateItem_MissingItem_IsCreatedFromKey_UpdatedNewReturnsChangedOnly()
    {
        var result = await _t.Ddb("UpdateItem", "{'TableName':'orders','Key':{'OrderId':{'S':'9'}},'UpdateExpression':'ADD visits :one','ExpressionAttributeValues':{':one':{'N':'1'}},'ReturnValues':'UPDATED_NEW'}");
        Assert.Equal(J("{'visits':{'N':'1'}}"), result["Attributes"]);
    }

    [Theory]
    [InlineData("{'TableName':'orders','Key':{'OrderId':{'S':'1'}},'UpdateExpression':'SET OrderId = :v','ExpressionAttributeValues':{':v':{'S':'2'}}}", "part of the key")]
    [InlineData("{'TableName':'orders','Key':{'OrderId':{'S':'1'}},'UpdateExpression':'SET a = :v'}", "not defined")]
    [InlineData("{'TableName':'orders','Key':{'OrderId':{'S':'1'}},'UpdateExpression':'SET a = :v','ExpressionAttributeValues':{':v':{'S':'x'},':unused':{'S':'y'}}}", "unused in expressions")]
    [InlineData("{'TableName':'orders','Key':{'OrderId':{'S':'1'}},'UpdateExpression':'SET a = :v, a = :v','ExpressionAttributeValues':{':v':{'S':'x'}}}", "overlap")]
    [InlineData("{'TableName':'orders','Key':{'OrderId':{'S':'1'}},'UpdateExpression':'SET a = = :v','ExpressionAttributeValues':{':v':{'S':'x'}}}", "Invalid expression")]
    [InlineData("{'TableName':'orders','Key':{'OrderId':{'S':'1'}},'UpdateExpression':'SET a = b + :v','ExpressionAttributeValues':{':v':{'N':'1'}}}", "does not exist")]
    [InlineData("{'TableName':'orders','Item':{'OrderId':{'N':'1'}}}", "Type mismatch for key OrderId")]
    [InlineData("{'TableName':'orders','Item':{'qty':{'N':'1'}}}", "Missing the key OrderId")]
    [InlineData("{'TableName':'orders','Item':{'OrderId':{'S':''}}}", "empty string")]
    [InlineData("{'TableName':'orders','Item':{'OrderId':{'S':'1'},'bad':{'N':'abc'}}}", "N must be a string holding a number")]
    [InlineData("{'TableName':'orders','Item':{'OrderId':{'S':'1'},'bad':{'SS':[]}}}", "empty set")]
    [InlineData("{'TableName':'orders','Item':{'OrderId':{'S':'1'},'bad':{'X':'1'}}}", "unknown one")]
    [InlineData("{'TableName':'orders','Key':{'OrderId':{'S':'1'},'extra':{'S':'x'}}}", "does not match the schema")]
    public async Task Operations_InvalidRequests_FailWithValidationException(string request, string reason)
    {
        var operation = request.Contains("UpdateExpression", StringComparison.Ordinal) ? "UpdateItem" : request.Contains("'Item'", StringComparison.Ordinal) ? "PutItem" : "GetItem";
        var error = await _t.DdbError(operation, request);
        Assert.Equal("ValidationException", error.Code);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutItem_OverFourHundredKilobytes_IsRejected()
    {
        var big = new string('x', 401 * 1024);
        var error = await _t.DdbError("PutItem", $"{{'TableName':'orders','Item':{{'OrderId':{{'S':'1'}},'blob':{{'S':'{big}'}}}}}}");
        Assert.Contains("maximum allowed size", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, false)]
    public async Task PutItem_AtTheSizeLimit_StoredUpToTheLastByte(int over, bool stored)
    {
        // DynamoDB's size is names plus values: "OrderId" + "1" + "blob" + the blob. Quotes in the blob make its JSON
        // text longer than the limit whatever the outcome: only the DynamoDB size may decide.
        var blob = new string('"', (400 * 1024) - 12 + over);
        var request = JsonObject.Of("TableName", new JsonString("orders")).SetItem("Item", JsonObject.Of("OrderId", J("{'S':'1'}")).SetItem("blob", JsonObject.Of("S", new JsonString(blob))));

        var result = await _t.Cloud.Tables.ExecuteAsync("PutItem", request, CancellationToken.None);

        Assert.Equal(stored, !result.Failed);
        if (!stored)
        {
            Assert.Contains("maximum allowed size", result.Error!.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(31, true)]
    [InlineData(32, false)]
    public async Task PutItem_NestedMaps_AcceptsThirtyOneWrapsAndRefusesThirtyTwo(int wraps, bool accepted)
    {
        // DynamoDB counts the top-level attribute's value as level 1 and allows 32 levels: 31 maps around a scalar.
        var value = "{'S':'leaf'}";
        for (var i = 0; i < wraps; i++)
        {
            value = i % 2 == 0 ? $"{{'M':{{'a':{value}}}}}" : $"{{'L':[{value}]}}";
        }
        var request = $"{{'TableName':'orders','Item':{{'OrderId':{{'S':'1'}},'deep':{value}}}}}";
        if (accepted)
        {
            await _t.Ddb("PutItem", request);
            return;
        }
        var error = await _t.DdbError("PutItem", request);
        Assert.Equal("ValidationException", error.Code);
        Assert.StartsWith(AttributeValues.NestingExceeded, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownTable_IsResourceNotFound()
    {
        var error = await _t.DdbError("GetItem", "{'TableName':'nope','Key':{'OrderId':{'S':'1'}}}");
        Assert.Equal("ResourceNotFoundException", error.Code);
    }

    [Fact]
    public async Task DeleteItem_WithConditionAndAllOld()
    {
        await Put("{'OrderId':{'S':'1'},'v':{'N':'5'}}");
        var failed = await _t.DdbError("DeleteItem", "{'TableName':'orders','Key':{'OrderId':{'S':'1'}},'ConditionExpression':'v > :ten','ExpressionAttributeValues':{':ten':{'N':'10'}}}");
        Assert.Equal("ConditionalCheckFailedException", failed.Code);
        var deleted = await _t.Ddb("DeleteItem", "{'TableName':'orders','Key':{'OrderId':{'S':'1'}},'ReturnValues':'ALL_OLD'}");
        Assert.Equal(J("{'OrderId':{'S':'1'},'v':{'N':'5'}}"), deleted["Attributes"]);
        Assert.Equal(JsonObject.Empty, await _t.Ddb("GetItem", "{'TableName':'orders','Key':{'OrderId':{'S':'1'}}}"));
    }

    [Fact]
    public async Task Query_SortKeyConditionsOrderAndPaging()
    {
        foreach (var line in new[] { 10, 2, 1, 30 })
        {
            await _t.Ddb("PutItem", $"{{'TableName':'lines','Item':{{'OrderId':{{'S':'A'}},'Line':{{'N':'{line}'}},'odd':{{'BOOL':{(line % 2 == 1 ? "true" : "false")}}}}}}}");
        }
        await _t.Ddb("PutItem", "{'TableName':'lines','Item':{'OrderId':{'S':'B'},'Line':{'N':'1'}}}");
        var all = await _t.Ddb("Query", "{'TableName':'lines','KeyConditionExpression':'OrderId = :a','ExpressionAttributeValues':{':a':{'S':'A'}}}");
        Assert.Equal(["1", "2", "10", "30"], ((JsonArray)all["Items"]!).Select(i => Attribute(i, "Line", "N")));
        var range = await _t.Ddb("Query", "{'TableName':'lines','KeyConditionExpression':'OrderId = :a AND Line BETWEEN :lo AND :hi','ExpressionAttributeValues':{':a':{'S':'A'},':lo':{'N':'2'},':hi':{'N':'10'}},'ScanIndexForward':false}");
        Assert.Equal(["10", "2"], ((JsonArray)range["Items"]!).Select(i => Attribute(i, "Line", "N")));
        var page = await _t.Ddb("Query", "{'TableName':'lines','KeyConditionExpression':'OrderId = :a','FilterExpression':'odd = :t','ExpressionAttributeValues':{':a':{'S':'A'},':t':{'BOOL':true}},'Limit':2}");
        Assert.Equal(JsonValue.FromNumber(1), page["Count"]);
        Assert.Equal(JsonValue.FromNumber(2), page["ScannedCount"]);
        Assert.Equal(J("{'OrderId':{'S':'A'},'Line':{'N':'2'}}"), page["LastEvaluatedKey"]);
        var missing = await _t.DdbError("Query", "{'TableName':'lines','KeyConditionExpression':'Line = :a','ExpressionAttributeValues':{':a':{'N':'1'}}}");
        Assert.Contains("missed key schema element", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_WithFilterProjectionAndPagination_VisitsEveryItemOnce()
    {
        for (var i = 0; i < 7; i++)
        {
            await Put($"{{'OrderId':{{'S':'o{i}'}},'n':{{'N':'{i}'}},'extra':{{'S':'x'}}}}");
        }
        var seen = new List<string>();
        JsonValue? start = null;
        do
        {
            var request = "{'TableName':'orders','Limit':3,'ProjectionExpression':'OrderId, n'" + (start is null ? "}" : $",'ExclusiveStartKey':{start.ToJsonString().Replace('"', '\'')}}}");
            var page = await _t.Ddb("Scan", request);
            seen.AddRange(((JsonArray)page["Items"]!).Select(i => { Assert.False(((JsonObject)i).ContainsKey("extra")); return Attribute(i, "OrderId", "S"); }));
            start = page["LastEvaluatedKey"];
        }
        while (start is not null);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"o{i}"), seen);
        var filtered = await _t.Ddb("Scan", "{'TableName':'orders','FilterExpression':'n >= :five','ExpressionAttributeValues':{':five':{'N':'5'}}}");
        Assert.Equal(JsonValue.FromNumber(2), filtered["Count"]);
    }

    [Fact]
    public async Task BatchWriteItem_PutsAndDeletes_AndRejectsOverTwentyFive()
    {
        await Put("{'OrderId':{'S':'gone'}}");
        await _t.Ddb("BatchWriteItem", "{'RequestItems':{'orders':[{'PutRequest':{'Item':{'OrderId':{'S':'b1'}}}},{'PutRequest':{'Item':{'OrderId':{'S':'b2'}}}},{'DeleteRequest':{'Key':{'OrderId':{'S':'gone'}}}}]}}");
        var scan = await _t.Ddb("Scan", "{'TableName':'orders'}");
        Assert.Equal(JsonValue.FromNumber(2), scan["Count"]);
        var many = string.Join(",", Enumerable.Range(0, 26).Select(i => $"{{'PutRequest':{{'Item':{{'OrderId':{{'S':'k{i}'}}}}}}}}"));
        var error = await _t.DdbError("BatchWriteItem", $"{{'RequestItems':{{'orders':[{many}]}}}}");
        Assert.Contains("Too many items", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BatchGetItem_FoundKeysProjected_MissingKeysAbsent()
    {
        await Put("{'OrderId':{'S':'g1'},'qty':{'N':'1'}}");
        await Put("{'OrderId':{'S':'g2'},'qty':{'N':'2'}}");

        var result = await _t.Ddb("BatchGetItem", "{'RequestItems':{'orders':{'Keys':[{'OrderId':{'S':'g1'}},{'OrderId':{'S':'nope'}},{'OrderId':{'S':'g2'}}],'ProjectionExpression':'OrderId','ConsistentRead':true}}}");

        var found = (JsonArray)((JsonObject)result["Responses"]!)["orders"]!;
        Assert.Equal(["g1", "g2"], found.Select(i => Attribute(i, "OrderId", "S")).Order());
        Assert.All(found, i => Assert.Equal(1, ((JsonObject)i).Count));
        Assert.Equal(JsonObject.Empty, result["UnprocessedKeys"]);
    }

    [Theory]
    [InlineData("{'RequestItems':{'orders':{'Keys':[{'OrderId':{'S':'a'}},{'OrderId':{'S':'a'}}]}}}", "duplicates")]
    [InlineData("{'RequestItems':{'orders':{'Keys':[]}}}", "Keys")]
    [InlineData("{'RequestItems':{}}", "RequestItems")]
    [InlineData("{'RequestItems':{'orders':{'Keys':[{'other':{'S':'a'}}]}}}", "key")]
    public async Task BatchGetItem_BadRequest_IsAValidationError(string request, string mentions)
    {
        var error = await _t.DdbError("BatchGetItem", request);

        Assert.Equal("ValidationException", error.Code);
        Assert.Contains(mentions, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task BatchGetItem_OverOneHundredKeys_IsRefused()
    {
        var keys = string.Join(",", Enumerable.Range(0, 101).Select(i => $"{{'OrderId':{{'S':'k{i}'}}}}"));

        var error = await _t.DdbError("BatchGetItem", $"{{'RequestItems':{{'orders':{{'Keys':[{keys}]}}}}}}");

        Assert.Contains("Too many items", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConcurrentConditionalPuts_ExactlyOneWinsPerKey_NoLockErrors()
    {
        var attempts = Enumerable.Range(0, 400).Select(i => _t.Cloud.Tables.ExecuteAsync("PutItem",
            J($"{{'TableName':'orders','Item':{{'OrderId':{{'S':'k{i % 50}'}},'writer':{{'N':'{i}'}}}},'ConditionExpression':'attribute_not_exists(OrderId)'}}"), CancellationToken.None));
        var results = await Task.WhenAll(attempts);
        Assert.Equal(50, results.Count(r => !r.Failed));
        Assert.All(results.Where(r => r.Failed), r => Assert.Equal("ConditionalCheckFailedException", r.Error!.Code));
    }

    [Fact]
    public async Task GetItem_ManyConcurrentReads_EachReadsItsOwnItem()
    {
        // Reads run side by side, and beside writes, on read connections of their own; two reads must never share one
        // (a shared one's statement is rebound under the other read: "API misuse", or another item's text).
        for (var i = 0; i < 50; i++)
        {
            await Put($"{{'OrderId':{{'S':'o{i}'}},'v':{{'S':'value-{i}'}}}}");
        }
        var writes = Task.Run(async () =>
        {
            for (var n = 0; n < 300; n++)
            {
                await Put($"{{'OrderId':{{'S':'w{n}'}}}}");
            }
        });
        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            for (var n = 0; n < 500; n++)
            {
                var i = ((n * 7) + t) % 50;
                Assert.Equal($"value-{i}", await StoredAttribute($"o{i}", "v", "S"));
            }
        })).Append(writes));
    }

    [Fact]
    public async Task TransactWriteItems_AllConditionsHold_WritesEveryAction()
    {
        await Put("{'OrderId':{'S':'old'},'n':{'N':'1'}}");
        await Put("{'OrderId':{'S':'other'}}");
        await _t.Ddb("TransactWriteItems", """
            {'TransactItems':[
              {'Put':{'TableName':'orders','Item':{'OrderId':{'S':'t1'}},'ConditionExpression':'attribute_not_exists(OrderId)'}},
              {'Update':{'TableName':'orders','Key':{'OrderId':{'S':'old'}},'UpdateExpression':'SET n = :v','ExpressionAttributeValues':{':v':{'N':'2'}}}},
              {'ConditionCheck':{'TableName':'orders','Key':{'OrderId':{'S':'other'}},'ConditionExpression':'attribute_exists(OrderId)'}}]}
            """);
        var scan = await _t.Ddb("Scan", "{'TableName':'orders'}");
        Assert.Equal(JsonValue.FromNumber(3), scan["Count"]);
        Assert.Equal("2", await StoredAttribute("old", "n", "N"));
    }

    [Fact]
    public async Task TransactWriteItems_OneConditionFails_WritesNothingAndNamesTheReasonPerAction()
    {
        await Put("{'OrderId':{'S':'taken'}}");
        var error = await _t.DdbError("TransactWriteItems", """
            {'TransactItems':[
              {'Put':{'TableName':'orders','Item':{'OrderId':{'S':'new'}},'ConditionExpression':'attribute_not_exists(OrderId)'}},
              {'Put':{'TableName':'orders','Item':{'OrderId':{'S':'taken'}},'ConditionExpression':'attribute_not_exists(OrderId)'}}]}
            """);
        Assert.Equal("TransactionCanceledException", error.Code);
        Assert.Contains("[None, ConditionalCheckFailed]", error.Message, StringComparison.Ordinal);
        var scan = await _t.Ddb("Scan", "{'TableName':'orders'}");
        Assert.Equal(JsonValue.FromNumber(1), scan["Count"]);
    }

    [Theory]
    // An insert-only Put is inserted as soon as it is met: one that succeeded before a failing action, or that comes
    // after one, must be taken back with the rest, and still report its own reason.
    [InlineData("{'Put':{'TableName':'orders','Item':{'OrderId':{'S':'taken'},'v':{'S':'new'}},'ConditionExpression':'attribute_not_exists(OrderId)'}}", "{'Put':{'TableName':'orders','Item':{'OrderId':{'S':'fresh'}},'ConditionExpression':'attribute_not_exists(OrderId)'}}", "[ConditionalCheckFailed, None]")]
    [InlineData("{'Put':{'TableName':'orders','Item':{'OrderId':{'S':'fresh'}},'ConditionExpression':'attribute_not_exists(OrderId)'}}", "{'Update':{'TableName':'orders','Key':{'OrderId':{'S':'taken'}},'UpdateExpression':'SET v = :v','ConditionExpression':'v = :x','ExpressionAttributeValues':{':v':{'S':'new'},':x':{'S':'other'}}}}", "[None, ConditionalCheckFailed]")]
    [InlineData("{'Put':{'TableName':'orders','Item':{'OrderId':{'S':'fresh'}},'ConditionExpression':'attribute_not_exists(OrderId)'}}", "{'ConditionCheck':{'TableName':'orders','Key':{'OrderId':{'S':'missing'}},'ConditionExpression':'attribute_exists(OrderId)'}}", "[None, ConditionalCheckFailed]")]
    public async Task TransactWriteItems_InsertOnlyPutBesideAFailingAction_WritesNothing(string first, string second, string reasons)
    {
        await Put("{'OrderId':{'S':'taken'},'v':{'S':'old'}}");
        var error = await _t.DdbError("TransactWriteItems", $"{{'TransactItems':[{first},{second}]}}");
        Assert.Equal("TransactionCanceledException", error.Code);
        Assert.Contains(reasons, error.Message, StringComparison.Ordinal);
        var scan = await _t.Ddb("Scan", "{'TableName':'orders'}");
        Assert.Equal(JsonValue.FromNumber(1), scan["Count"]);
        Assert.Equal("old", await StoredAttribute("taken", "v", "S"));
    }

    [Fact]
    public async Task TransactWriteItems_InsertOnlyPuts_StoreTheirItemsAsGiven()
    {
        await _t.Ddb("TransactWriteItems", """
            {'TransactItems':[
              {'Put':{'TableName':'orders','Item':{'OrderId':{'S':'a'},'qty':{'N':'2'},'name':{'S':'Zoë \u0022Z\u0022 \\ Ünal'}},'ConditionExpression':'attribute_not_exists(OrderId)'}},
              {'Put':{'TableName':'orders','Item':{'OrderId':{'S':'b'}},'ConditionExpression':'attribute_not_exists(OrderId)'}}]}
            """);
        var a = (JsonObject)(await _t.Ddb("GetItem", "{'TableName':'orders','Key':{'OrderId':{'S':'a'}}}"))["Item"]!;
        Assert.Equal(["OrderId", "qty", "name"], a.Names);
        Assert.Equal("2", ((JsonString)((JsonObject)a["qty"]!)["N"]!).Value);
        Assert.Equal("Zoë \"Z\" \\ Ünal", ((JsonString)((JsonObject)a["name"]!)["S"]!).Value);
        var scan = await _t.Ddb("Scan", "{'TableName':'orders'}");
        Assert.Equal(JsonValue.FromNumber(2), scan["Count"]);
    }

    [Fact]
    public async Task TransactWriteItems_TwoActionsOnOneItemOrOverAHundred_IsAValidationError()
    {
        var twice = await _t.DdbError("TransactWriteItems",
            "{'TransactItems':[{'Put':{'TableName':'orders','Item':{'OrderId':{'S':'x'}}}},{'Delete':{'TableName':'orders','Key':{'OrderId':{'S':'x'}}}}]}");
        Assert.Equal("ValidationException", twice.Code);
        var many = string.Join(",", Enumerable.Range(0, 101).Select(i => $"{{'Put':{{'TableName':'orders','Item':{{'OrderId':{{'S':'k{i}'}}}}}}}}"));
        var tooMany = await _t.DdbError("TransactWriteItems", $"{{'TransactItems':[{many}]}}");
        Assert.Equal("ValidationException", tooMany.Code);
        var scan = await _t.Ddb("Scan", "{'TableName':'orders'}");
        Assert.Equal(JsonValue.FromNumber(0), scan["Count"]);
    }
}
