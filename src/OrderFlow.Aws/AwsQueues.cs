using System.Collections.Concurrent;
using Amazon.SQS;
using Amazon.SQS.Model;
using OrderFlow.Json;
using OrderFlow.Local.Integrations;
using OrderFlow.Local.Storage;
using static OrderFlow.Aws.Requests;

namespace OrderFlow.Aws;

/// <summary>
/// The SQS operations the service integrations use, on Amazon SQS or a compatible endpoint, in the same JSON shapes and
/// with the same error names as the embedded queues (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/).
/// </summary>
/// <remarks>
/// A definition names its queue by URL, and the URL holds an account and a region (or a local host). The queue is found
/// by the URL's last segment, its name, on the configured endpoint: the same definition runs against AWS, LocalStack,
/// fauxqs or the embedded queues.
/// </remarks>
public sealed class AwsQueues(IAmazonSQS client) : IServiceApi
{
    private const string Unreachable = "ServiceUnavailable";
    private readonly ConcurrentDictionary<string, Task<GetQueueUrlResponse>> _urls = new(StringComparer.Ordinal);

    public async Task<ServiceResult<JsonObject>> ExecuteAsync(string operation, JsonObject request, CancellationToken cancellationToken)
    {
        if (operation == "GetQueueUrl")
        {
            return await CallAsync(async () => new JsonObjectBuilder(1).Set("QueueUrl", (await client.GetQueueUrlAsync(Text(request, "QueueName"), cancellationToken)).QueueUrl).Build(), Unreachable);
        }
        var url = await ResolveAsync(Text(request, "QueueUrl"), cancellationToken);
        if (url.Failed)
        {
            return url.Error!;
        }
        var queueUrl = url.Value["QueueUrl"] is JsonString u ? u.Value : string.Empty;
        return operation switch
        {
            "SendMessage" => await CallAsync(async () =>
            {
                var sent = await client.SendMessageAsync(new SendMessageRequest
                {
                    QueueUrl = queueUrl,
                    MessageBody = Body(request),
                    DelaySeconds = Int(request, "DelaySeconds"),
                    MessageAttributes = Attributes(request["MessageAttributes"]),
                    MessageGroupId = Text(request, "MessageGroupId"),
                    MessageDeduplicationId = Text(request, "MessageDeduplicationId"),
                }, cancellationToken);
                return Sent(sent.MessageId, sent.MD5OfMessageBody, sent.MD5OfMessageAttributes, sent.SequenceNumber).Build();
            }, Unreachable),
            "SendMessageBatch" => await CallAsync(async () =>
            {
                var sent = await client.SendMessageBatchAsync(new SendMessageBatchRequest
                {
                    QueueUrl = queueUrl,
                    Entries = [.. (request["Entries"] as JsonArray ?? JsonArray.Empty).Cast<JsonObject>().Select(e => new SendMessageBatchRequestEntry
                    {
                        Id = Text(e, "Id"),
                        MessageBody = Body(e),
                        DelaySeconds = Int(e, "DelaySeconds"),
                        MessageAttributes = Attributes(e["MessageAttributes"]),
                        MessageGroupId = Text(e, "MessageGroupId"),
                        MessageDeduplicationId = Text(e, "MessageDeduplicationId"),
                    })],
                }, cancellationToken);
                return new JsonObjectBuilder(2)
                    .Set("Successful", new JsonArray([.. (sent.Successful ?? []).Select(s => (JsonValue)Sent(s.MessageId, s.MD5OfMessageBody, s.MD5OfMessageAttributes, s.SequenceNumber).Set("Id", s.Id).Build())]))
                    .Set("Failed", new JsonArray([.. (sent.Failed ?? []).Select(f => (JsonValue)new JsonObjectBuilder(4).Set("Id", f.Id).Set("SenderFault", f.SenderFault ?? false)
                        .Set("Code", f.Code ?? string.Empty).Set("Message", f.Message ?? string.Empty).Build())]))
                    .Build();
            }, Unreachable),
            "ReceiveMessage" => await CallAsync(async () =>
            {
                var received = await client.ReceiveMessageAsync(new ReceiveMessageRequest
                {
                    QueueUrl = queueUrl,
                    MaxNumberOfMessages = Int(request, "MaxNumberOfMessages"),
                    VisibilityTimeout = Int(request, "VisibilityTimeout"),
                    WaitTimeSeconds = Int(request, "WaitTimeSeconds"),
                    MessageAttributeNames = List(request, "MessageAttributeNames"),
                    MessageSystemAttributeNames = List(request, "MessageSystemAttributeNames") ?? List(request, "AttributeNames"),
                }, cancellationToken);
                return new JsonObjectBuilder(1).Set("Messages", new JsonArray([.. (received.Messages ?? []).Select(Message)])).Build();
            }, Unreachable),
            "DeleteMessage" => await CallAsync(async () =>
            {
                await client.DeleteMessageAsync(queueUrl, Text(request, "ReceiptHandle"), cancellationToken);
                return JsonObject.Empty;
            }, Unreachable),
            "DeleteMessageBatch" => await CallAsync(async () =>
            {
                var deleted = await client.DeleteMessageBatchAsync(new DeleteMessageBatchRequest
                {
                    QueueUrl = queueUrl,
                    Entries = [.. (request["Entries"] as JsonArray ?? JsonArray.Empty).Cast<JsonObject>().Select(e => new DeleteMessageBatchRequestEntry
                    {
                        Id = Text(e, "Id"),
                        ReceiptHandle = Text(e, "ReceiptHandle"),
                    })],
                }, cancellationToken);
                return BatchOutcome(deleted.Successful?.Select(s => s.Id), deleted.Failed);
            }, Unreachable),
            "ChangeMessageVisibilityBatch" => await CallAsync(async () =>
            {
                var changed = await client.ChangeMessageVisibilityBatchAsync(new ChangeMessageVisibilityBatchRequest
                {
                    QueueUrl = queueUrl,
                    Entries = [.. (request["Entries"] as JsonArray ?? JsonArray.Empty).Cast<JsonObject>().Select(e => new ChangeMessageVisibilityBatchRequestEntry
                    {
                        Id = Text(e, "Id"),
                        ReceiptHandle = Text(e, "ReceiptHandle"),
                        VisibilityTimeout = Int(e, "VisibilityTimeout"),
                    })],
                }, cancellationToken);
                return BatchOutcome(changed.Successful?.Select(s => s.Id), changed.Failed);
            }, Unreachable),
            _ => new ServiceError("UnsupportedOperation", $"Unsupported SQS operation: {operation}"),
        };
    }

    /// <summary>A batch request's answer: the entries done, and those refused with why.</summary>
    private static JsonObject BatchOutcome(IEnumerable<string>? successful, List<BatchResultErrorEntry>? failed) => new JsonObjectBuilder(2)
        .Set("Successful", new JsonArray([.. (successful ?? []).Select(id => (JsonValue)new JsonObjectBuilder(1).Set("Id", id).Build())]))
        .Set("Failed", new JsonArray([.. (failed ?? []).Select(f => (JsonValue)new JsonObjectBuilder(4).Set("Id", f.Id).Set("SenderFault", f.SenderFault ?? false)
            .Set("Code", f.Code ?? string.Empty).Set("Message", f.Message ?? string.Empty).Build())]))
        .Build();

    /// <summary>The endpoint's URL of the queue a definition names by URL or by name (cached; a failure is not).</summary>
    private async Task<ServiceResult<JsonObject>> ResolveAsync(string? reference, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return new ServiceError("MissingParameter", "The request must contain the parameter QueueUrl.");
        }
        var name = reference.TrimEnd('/');
        name = name[(name.LastIndexOf('/') + 1)..];
        var lookup = _urls.GetOrAdd(name, n => client.GetQueueUrlAsync(n, CancellationToken.None));
        var result = await CallAsync(async () => new JsonObjectBuilder(1).Set("QueueUrl", (await lookup.WaitAsync(cancellationToken)).QueueUrl).Build(), Unreachable);
        if (result.Failed)
        {
            _urls.TryRemove(name, out _);
        }
        return result;
    }

    /// <summary>Step Functions sends a JSON MessageBody as its text (https://docs.aws.amazon.com/step-functions/latest/dg/connect-sqs.html).</summary>
    private static string? Body(JsonObject request) => request["MessageBody"] switch
    {
        null => null,
        JsonString s => s.Value,
        var json => json.ToJsonString(),
    };

    private static Dictionary<string, MessageAttributeValue>? Attributes(JsonValue? attributes) =>
        attributes is JsonObject map
            ? map.Members.ToDictionary(a => a.Key, a =>
            {
                var value = a.Value as JsonObject ?? JsonObject.Empty;
                return new MessageAttributeValue
                {
                    DataType = Text(value, "DataType"),
                    StringValue = Text(value, "StringValue"),
                    BinaryValue = Text(value, "BinaryValue") is { } binary ? new MemoryStream(Convert.FromBase64String(binary)) : null,
                };
            }, StringComparer.Ordinal)
            : null;

    private static JsonObjectBuilder Sent(string messageId, string md5, string? attributesMd5, string? sequence)
    {
        var sent = new JsonObjectBuilder(5).Set("MessageId", messageId).Set("MD5OfMessageBody", md5);
        if (attributesMd5 is not null)
        {
            sent.Set("MD5OfMessageAttributes", attributesMd5);
        }
        if (sequence is not null)
        {
            sent.Set("SequenceNumber", sequence);
        }
        return sent;
    }

    private static JsonValue Message(Message m)
    {
        var message = new JsonObjectBuilder(6).Set("MessageId", m.MessageId).Set("ReceiptHandle", m.ReceiptHandle).Set("MD5OfBody", m.MD5OfBody).Set("Body", m.Body);
        if (m.Attributes is { Count: > 0 })
        {
            message.Set("Attributes", JsonObject.Create(m.Attributes.Select(a => new KeyValuePair<string, JsonValue>(a.Key, new JsonString(a.Value)))));
        }
        if (m.MessageAttributes is { Count: > 0 })
        {
            message.Set("MessageAttributes", JsonObject.Create(m.MessageAttributes.Select(a => new KeyValuePair<string, JsonValue>(a.Key,
                a.Value.StringValue is not null
                    ? new JsonObjectBuilder(2).Set("DataType", a.Value.DataType).Set("StringValue", a.Value.StringValue).Build()
                    : new JsonObjectBuilder(2).Set("DataType", a.Value.DataType).Set("BinaryValue", Convert.ToBase64String(a.Value.BinaryValue?.ToArray() ?? [])).Build()))));
        }
        return message.Build();
    }
}
