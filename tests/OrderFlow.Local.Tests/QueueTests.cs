using Microsoft.Data.Sqlite;
using OrderFlow.Json;
using OrderFlow.Local.Queues;
using static OrderFlow.Local.Tests.TestCloud;

namespace OrderFlow.Local.Tests;

/// <summary>SQS semantics of the embedded queue: visibility, receive counts, redrive, retention, moving messages back.</summary>
public sealed class QueueTests : IAsyncLifetime
{
    private readonly TestCloud _t = new();

    public async Task InitializeAsync()
    {
        await _t.Cloud.Queues.CreateQueueAsync(new QueueSettings("dlq"), CancellationToken.None);
        await _t.Cloud.Queues.CreateQueueAsync(new QueueSettings("work") { VisibilityTimeoutSeconds = 10, DeadLetterQueue = "dlq", MaxReceiveCount = 2, MessageRetentionSeconds = 120 }, CancellationToken.None);
    }

    public async Task DisposeAsync() => await _t.DisposeAsync();

    private async Task<JsonArray> Receive(string queue, int max = 10) =>
        (JsonArray)(await _t.Sqs("ReceiveMessage", $"{{'QueueUrl':'{queue}','MaxNumberOfMessages':{max}}}"))["Messages"]!;

    [Theory]
    [InlineData("https://sqs.ap-south-1.amazonaws.com/047624741166/order-data-dlq", "order-data-dlq")]
    [InlineData("http://localhost:4566/000000000000/q1", "q1")]
    [InlineData("arn:aws:sqs:eu-west-1:111122223333:orders", "orders")]
    [InlineData("plain-name", "plain-name")]
    [InlineData("arn:aws:sns:eu-west-1:111122223333:topic", null)]
    public void QueueNames_Resolve_AnyAccountAndRegion(string reference, string? name)
    {
        Assert.Equal(name, QueueNames.Resolve(reference));
    }

    [Fact]
    public async Task Send_ReturnsIdAndMd5_AndReceiveReturnsBodyWithAttributes()
    {
        var sent = await _t.Sqs("SendMessage", "{'QueueUrl':'https://sqs.us-east-1.amazonaws.com/1/work','MessageBody':'hello','MessageAttributes':{'kind':{'DataType':'String','StringValue':'greeting'}}}");
        Assert.Equal(new JsonString("5d41402abc4b2a76b9719d911017c592"), sent["MD5OfMessageBody"]);
        Assert.True(sent.ContainsKey("MD5OfMessageAttributes"));
        var message = (JsonObject)Assert.Single(await Receive("work"));
        Assert.Equal(new JsonString("hello"), message["Body"]);
        Assert.Equal(sent["MessageId"], message["MessageId"]);
        Assert.Equal(new JsonString("1"), ((JsonObject)message["Attributes"]!)["ApproximateReceiveCount"]);
        Assert.Equal(J("{'kind':{'DataType':'String','StringValue':'greeting'}}"), message["MessageAttributes"]);
    }

    [Fact]
    public async Task SendMessageBatch_BodyHeldAsUtf8_SameMd5AndBodyAsItsString()
    {
        const string body = "{\"error\":\"OrderRejected\",\"note\":\"café \\\"q\\\"\"}";
        var entries = new JsonArray(
        [
            new JsonObjectBuilder(2).Set("Id", "string").Set("MessageBody", body).Build(),
            new JsonObjectBuilder(2).Set("Id", "utf8").Set("MessageBody", JsonString.FromUtf8(System.Text.Encoding.UTF8.GetBytes(body))).Build(),
        ]);
        var request = new JsonObjectBuilder(2).Set("QueueUrl", "work").Set("Entries", entries).Build();

        var sent = await _t.Cloud.Queues.ExecuteAsync("SendMessageBatch", request, CancellationToken.None);

        var successful = ((JsonArray)sent.Value["Successful"]!).Cast<JsonObject>().ToArray();
        Assert.Equal(2, successful.Length);
        Assert.Equal(successful[0]["MD5OfMessageBody"], successful[1]["MD5OfMessageBody"]);
        var received = (await Receive("work")).Cast<JsonObject>().Select(m => ((JsonString)m["Body"]!).Value).ToArray();
        Assert.Equal([body, body], received);
    }

    [Fact]
    public async Task SendMessageBatch_EmptyBodyHeldAsUtf8_MissingParameter()
    {
        var entries = new JsonArray([new JsonObjectBuilder(2).Set("Id", "0").Set("MessageBody", JsonString.FromUtf8([])).Build()]);
        var request = new JsonObjectBuilder(2).Set("QueueUrl", "work").Set("Entries", entries).Build();

        var sent = await _t.Cloud.Queues.ExecuteAsync("SendMessageBatch", request, CancellationToken.None);

        var failed = (JsonObject)Assert.Single((JsonArray)sent.Value["Failed"]!);
        Assert.Equal(new JsonString("MissingParameter"), failed["Code"]);
    }

    [Fact]
    public async Task Send_JsonObjectBody_IsSentAsItsText()
    {
        await _t.Sqs("SendMessage", "{'QueueUrl':'work','MessageBody':{'order':1}}");
        Assert.Equal(new JsonString("{\"order\":1}"), ((JsonObject)(await Receive("work"))[0])["Body"]);
    }

    [Fact]
    public async Task Receive_HidesForVisibilityTimeout_ThenRedeliversWithHigherCount()
    {
        await _t.Sqs("SendMessage", "{'QueueUrl':'work','MessageBody':'m'}");
        Assert.Single(await Receive("work"));
        Assert.Empty(await Receive("work"));
        _t.Time.Advance(TimeSpan.FromSeconds(11));
        var again = (JsonObject)Assert.Single(await Receive("work"));
        Assert.Equal(new JsonString("2"), ((JsonObject)again["Attributes"]!)["ApproximateReceiveCount"]);
    }

    [Fact]
    public async Task Receive_AfterMaxReceiveCount_MovesMessageToDeadLetterQueue_AndMoveTaskBringsItBack()
    {
        await _t.Sqs("SendMessage", "{'QueueUrl':'work','MessageBody':'poison'}");
        for (var i = 0; i < 2; i++)
        {
            Assert.Single(await Receive("work"));
            _t.Time.Advance(TimeSpan.FromSeconds(11));
        }
        Assert.Empty(await Receive("work"));
        var dead = (JsonObject)Assert.Single(await Receive("dlq"));
        Assert.Equal(new JsonString("poison"), dead["Body"]);
        _t.Time.Advance(TimeSpan.FromSeconds(31));
        var moved = await _t.Sqs("StartMessageMoveTask", "{'SourceArn':'arn:aws:sqs:us-east-1:123456789012:dlq'}");
        Assert.Equal(JsonValue.FromNumber(1), moved["ApproximateNumberOfMessagesMoved"]);
        Assert.Equal(new JsonString("poison"), ((JsonObject)Assert.Single(await Receive("work")))["Body"]);
    }

    [Fact]
    public async Task Delete_WithReceiptHandle_RemovesForGood_AndChangeVisibilityZeroRedelivers()
    {
        await _t.Sqs("SendMessage", "{'QueueUrl':'work','MessageBody':'a'}");
        await _t.Sqs("SendMessage", "{'QueueUrl':'work','MessageBody':'b'}");
        var received = await Receive("work");
        var a = (JsonObject)received[0];
        var b = (JsonObject)received[1];
        await _t.Sqs("DeleteMessage", $"{{'QueueUrl':'work','ReceiptHandle':'{((JsonString)a["ReceiptHandle"]!).Value}'}}");
        await _t.Sqs("ChangeMessageVisibility", $"{{'QueueUrl':'work','ReceiptHandle':'{((JsonString)b["ReceiptHandle"]!).Value}','VisibilityTimeout':0}}");
        Assert.Equal(new JsonString("b"), ((JsonObject)Assert.Single(await Receive("work")))["Body"]);
        var bad = await _t.Cloud.Queues.ExecuteAsync("DeleteMessage", J("{'QueueUrl':'work','ReceiptHandle':'garbage'}"), CancellationToken.None);
        Assert.Equal("ReceiptHandleIsInvalid", bad.Error!.Code);
    }

    [Fact]
    public async Task Send_Unreceived_NotInTheReceiptIndex_WhichLookupsByHandleStillUse()
    {
        await _t.Sqs("SendMessage", "{'QueueUrl':'work','MessageBody':'a'}");
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_t.DataDirectory, "orderflow.db")};Pooling=False");
        connection.Open();
        List<string> Column(string sql, int column)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            var values = new List<string>();
            while (reader.Read())
            {
                values.Add(Convert.ToString(reader.GetValue(column), System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
            }
            return values;
        }

        Assert.EndsWith("WHERE receipt_handle IS NOT NULL", Column("SELECT sql FROM sqlite_master WHERE name = 'sqs_messages_received'", 0).Single(), StringComparison.Ordinal);
        Assert.Empty(Column("SELECT name FROM sqlite_master WHERE name = 'sqs_messages_receipt'", 0));
        var details = Column("EXPLAIN QUERY PLAN DELETE FROM sqs_messages WHERE queue = 'work' AND receipt_handle = 'h'", 3);
        Assert.Contains(details, d => d.Contains("sqs_messages_received", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retention_ExpiresOldMessages()
    {
        await _t.Sqs("SendMessage", "{'QueueUrl':'work','MessageBody':'old'}");
        _t.Time.Advance(TimeSpan.FromSeconds(121));
        Assert.Empty(await Receive("work"));
    }

    [Fact]
    public async Task Receive_ExpiredMessageNotYetDeleted_IsNotReceived_AndIsDeletedWithinAMinute()
    {
        await Receive("work"); // t = 0: the queue's expired messages are deleted (none)
        await _t.Sqs("SendMessage", "{'QueueUrl':'work','MessageBody':'old'}"); // expires at t = 120 s
        _t.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Single((JsonArray)(await _t.Sqs("ReceiveMessage", "{'QueueUrl':'work','VisibilityTimeout':100}"))["Messages"]!);
        _t.Time.Advance(TimeSpan.FromSeconds(60)); // t = 61: in flight; expired messages deleted again (still none)
        Assert.Empty(await Receive("work"));

        _t.Time.Advance(TimeSpan.FromSeconds(59.5)); // t = 120.5: visible again and expired, the last deletion 59.5 s ago
        Assert.Empty(await Receive("work"));
        Assert.Single(_t.Cloud.Queues.PeekAll("work"));

        _t.Time.Advance(TimeSpan.FromSeconds(1)); // a minute since the last deletion
        Assert.Empty(await Receive("work"));
        Assert.Empty(_t.Cloud.Queues.PeekAll("work"));
    }

    [Fact]
    public async Task Receive_VisibleLongestFirst_ARedeliveredMessageAfterThoseVisibleBeforeIt()
    {
        await _t.Sqs("SendMessage", "{'QueueUrl':'dlq','MessageBody':'a'}");
        Assert.Single(await Receive("dlq", 1)); // a: in flight for 30 s
        await _t.Sqs("SendMessage", "{'QueueUrl':'dlq','MessageBody':'b'}");
        await _t.Sqs("SendMessage", "{'QueueUrl':'dlq','MessageBody':'c'}");
        _t.Time.Advance(TimeSpan.FromSeconds(31));

        var bodies = (await Receive("dlq")).Select(m => ((JsonString)((JsonObject)m!)["Body"]!).Value);

        Assert.Equal(["b", "c", "a"], bodies);
    }

    [Theory]
    [InlineData(nameof(LocalQueues.PeekAfterSql), "USING INTEGER PRIMARY KEY (rowid>?)")]
    [InlineData(nameof(LocalQueues.TakeSql), "USING INDEX sqs_messages_visible (queue=? AND visible_at<?)")]
    public async Task QueueReads_UseTheirIndexInOrder_NeverSortTheQueue(string statement, string search)
    {
        await _t.Sqs("SendMessage", "{'QueueUrl':'work','MessageBody':'a'}");
        var sql = statement == nameof(LocalQueues.PeekAfterSql) ? LocalQueues.PeekAfterSql : LocalQueues.TakeSql;
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_t.DataDirectory, "orderflow.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var name in new[] { "$q", "$after", "$n", "$now", "$cutoff" }.Where(n => sql.Contains(n, StringComparison.Ordinal)))
        {
            command.Parameters.AddWithValue(name, 1);
        }
        var details = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                details.Add(reader.GetString(3));
            }
        }

        Assert.Contains(details, d => d.EndsWith(search, StringComparison.Ordinal));
        Assert.DoesNotContain(details, d => d.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Batch_SendAndDelete_ReportPerEntry()
    {
        var sent = await _t.Sqs("SendMessageBatch", "{'QueueUrl':'work','Entries':[{'Id':'1','MessageBody':'x'},{'Id':'2','MessageBody':''}]}");
        Assert.Single((JsonArray)sent["Successful"]!);
        Assert.Equal(new JsonString("2"), ((JsonObject)((JsonArray)sent["Failed"]!)[0])["Id"]);
        var handle = ((JsonString)((JsonObject)(await Receive("work"))[0])["ReceiptHandle"]!).Value;
        var deleted = await _t.Sqs("DeleteMessageBatch", $"{{'QueueUrl':'work','Entries':[{{'Id':'a','ReceiptHandle':'{handle}'}},{{'Id':'b','ReceiptHandle':'nope'}}]}}");
        Assert.Single((JsonArray)deleted["Successful"]!);
        Assert.Single((JsonArray)deleted["Failed"]!);
    }

    [Fact]
    public async Task SendMessageBatch_NonAsciiBody_Md5OfItsUtf8AndTheSameTextReceived()
    {
        const string body = "Zoë ordered 2 × 寿司 \U0001F363";
        var sent = await _t.Sqs("SendMessageBatch", $"{{'QueueUrl':'work','Entries':[{{'Id':'e-1','MessageBody':'{body}'}}]}}");
        var entry = (JsonObject)Assert.Single((JsonArray)sent["Successful"]!);
        Assert.Equal(new JsonString("e-1"), entry["Id"]);
        const string md5 = "6f98e212cfa2386770314e7a63543d0d"; // MD5 of the body's UTF-8 (Python's hashlib)
        Assert.Equal(new JsonString(md5), entry["MD5OfMessageBody"]);
        var message = (JsonObject)Assert.Single(await Receive("work"));
        Assert.Equal(new JsonString(body), message["Body"]);
        Assert.Equal(entry["MessageId"], message["MessageId"]);
        Assert.Equal(new JsonString(md5), message["MD5OfBody"]);
    }

    [Theory]
    [InlineData("{'QueueUrl':'missing','MessageBody':'x'}", "QueueDoesNotExist")]
    [InlineData("{'QueueUrl':'work'}", "MissingParameter")]
    [InlineData("{'QueueUrl':'work','MessageBody':'x','DelaySeconds':901}", "InvalidParameterValue")]
    public async Task Send_Invalid_FailsWithSqsErrorName(string request, string code)
    {
        var result = await _t.Cloud.Queues.ExecuteAsync("SendMessage", J(request), CancellationToken.None);
        Assert.Equal(code, result.Error!.Code);
    }

    [Fact]
    public async Task Send_OverOneMebibyte_IsRejected()
    {
        var body = new string('x', (1024 * 1024) + 1);
        var result = await _t.Cloud.Queues.ExecuteAsync("SendMessage", J($"{{'QueueUrl':'work','MessageBody':'{body}'}}"), CancellationToken.None);
        Assert.Contains("shorter than", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Receive_LongPoll_ReturnsWhenAMessageArrives()
    {
        var waiting = _t.Cloud.Queues.ExecuteAsync("ReceiveMessage", J("{'QueueUrl':'dlq','WaitTimeSeconds':20}"), CancellationToken.None);
        await _t.Sqs("SendMessage", "{'QueueUrl':'dlq','MessageBody':'late'}");
        var result = await waiting.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Single((JsonArray)result.Value["Messages"]!);
    }

    [Fact]
    public async Task PeekAfterAndPeekAll_PageThroughTheQueueInOrder_AndDeleteByIdsDeletesThoseOnly()
    {
        for (var i = 0; i < 7; i++)
        {
            await _t.Sqs("SendMessage", $"{{'QueueUrl':'work','MessageBody':'m{i}'}}");
        }
        await _t.Sqs("SendMessage", "{'QueueUrl':'dlq','MessageBody':'elsewhere'}");
        await Receive("work", 2); // received messages are read too: a tool's view, whatever their visibility
        var seen = new List<JsonObject>();
        long after = 0;
        while (true)
        {
            var (page, last) = _t.Cloud.Queues.PeekAfter("work", 3, after);
            if (page.Count == 0)
            {
                break;
            }
            Assert.True(page.Count <= 3 && last > after);
            seen.AddRange(page);
            after = last;
        }
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"m{i}"), seen.Select(m => ((JsonString)m["Body"]!).Value));
        Assert.Equal(seen, _t.Cloud.Queues.PeekAll("work", pageSize: 2));
        Assert.Equal(seen[4], _t.Cloud.Queues.PeekById("work", ((JsonString)seen[4]["MessageId"]!).Value));
        Assert.Null(_t.Cloud.Queues.PeekById("work", "no-such-id"));
        var ids = seen.Take(5).Select(m => ((JsonString)m["MessageId"]!).Value).ToList();
        Assert.Equal(5, await _t.Cloud.Queues.DeleteByIdsAsync("work", [.. ids, "no-such-id"], CancellationToken.None));
        Assert.Equal(["m5", "m6"], _t.Cloud.Queues.PeekAfter("work", 10, 0).Messages.Select(m => ((JsonString)m["Body"]!).Value));
        Assert.Single(_t.Cloud.Queues.PeekAfter("dlq", 10, 0).Messages);
    }
}
