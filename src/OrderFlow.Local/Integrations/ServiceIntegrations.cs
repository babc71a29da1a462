using OrderFlow.Json;
using OrderFlow.Local.Buckets;
using OrderFlow.Local.Functions;
using OrderFlow.Local.Queues;
using OrderFlow.Local.Storage;
using OrderFlow.Local.Tables;
using OrderFlow.States.Execution;
using OrderFlow.States.Tasks;

namespace OrderFlow.Local.Integrations;

/// <summary>
/// The Step Functions service integrations backed by the embedded services, with the request and response shapes
/// and error names Step Functions uses
/// (https://docs.aws.amazon.com/step-functions/latest/dg/integrate-optimized.html and
/// https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html).
/// </summary>
public static class ServiceIntegrations
{
    private static readonly string[] DynamoDbOperations = ["putItem", "getItem", "updateItem", "deleteItem"];
    private static readonly string[] SdkDynamoDbOperations = ["putItem", "getItem", "updateItem", "deleteItem", "query", "scan", "batchGetItem", "batchWriteItem", "transactWriteItems"];
    private static readonly string[] SdkS3Operations = ["getObject", "putObject", "listObjectsV2", "headObject", "deleteObject", "copyObject"];
    private static readonly string[] SdkSqsOperations = ["sendMessage", "sendMessageBatch", "receiveMessage", "deleteMessage", "getQueueUrl"];

    public static TaskHandlerRegistry Register(TaskHandlerRegistry registry, IServiceApi tables, IServiceApi queues, IServiceApi buckets, LocalFunctions functions,
        Func<JsonObject, CancellationToken, Task<ServiceResult<JsonObject>>> putEvents)
    {
        registry.Register("arn:aws:states:::lambda:invoke", async (task, ct) => LambdaInvoke(await functions.InvokeAsync(Object(task), ct), wrap: true));
        registry.RegisterPrefix("arn:aws:lambda:", new DelegateHandler(async (task, ct) =>
            LambdaInvoke(await functions.InvokeAsync(new JsonObjectBuilder(2).Set("FunctionName", task.Resource).Set("Payload", task.Parameters).Build(), ct), wrap: false)));
        foreach (var op in DynamoDbOperations)
        {
            registry.Register($"arn:aws:states:::dynamodb:{op}", async (task, ct) => Optimized(await tables.ExecuteAsync(Pascal(op), Object(task), ct), "DynamoDB"));
        }
        foreach (var op in SdkDynamoDbOperations)
        {
            registry.Register($"arn:aws:states:::aws-sdk:dynamodb:{op}", async (task, ct) => Sdk(await tables.ExecuteAsync(Pascal(op), Object(task), ct), "DynamoDb"));
        }
        registry.Register("arn:aws:states:::sqs:sendMessage", async (task, ct) => Optimized(await queues.ExecuteAsync("SendMessage", Object(task), ct), "SQS"));
        foreach (var op in SdkSqsOperations)
        {
            registry.Register($"arn:aws:states:::aws-sdk:sqs:{op}", async (task, ct) => Sdk(await queues.ExecuteAsync(Pascal(op), Object(task), ct), "Sqs"));
        }
        foreach (var op in SdkS3Operations)
        {
            registry.Register($"arn:aws:states:::aws-sdk:s3:{op}", async (task, ct) => Sdk(await buckets.ExecuteAsync(Pascal(op), Object(task), ct), "S3"));
        }
        foreach (var op in new[] { "getObject", "putObject" })
        {
            registry.Register($"arn:aws:states:::s3:{op}", async (task, ct) => Sdk(await buckets.ExecuteAsync(Pascal(op), Object(task), ct), "S3"));
        }
        registry.Register("arn:aws:states:::events:putEvents", async (task, ct) => Optimized(await putEvents(Object(task), ct), "EventBridge"));
        return registry;
    }

    private static JsonObject Object(TaskInvocation task) => task.Parameters as JsonObject ?? JsonObject.Empty;

    private static string Pascal(string operation) => char.ToUpperInvariant(operation[0]) + operation[1..];

    /// <summary>
    /// lambda:invoke: the whole Invoke response (or only the Payload for a function ARN). A function error fails the
    /// task with the function's errorType as Error and Lambda's JSON as Cause; a service error is <c>Lambda.*</c>.
    /// </summary>
    private static Evaluated LambdaInvoke(ServiceResult<JsonObject> result, bool wrap)
    {
        if (result.Failed)
        {
            return Evaluated.Fail($"Lambda.{result.Error!.Code}", result.Error.Message);
        }
        var response = result.Value;
        if (response["FunctionError"] is not null)
        {
            var payload = (JsonObject)response["Payload"]!;
            return Evaluated.Fail((payload["errorType"] as JsonString)?.Value ?? "Lambda.Unknown", payload.ToJsonString());
        }
        return wrap ? WithSdkMetadata(response) : response["Payload"]!;
    }

    private static Evaluated Optimized(ServiceResult<JsonObject> result, string service) =>
        result.Failed ? Evaluated.Fail($"{service}.{Exception(result.Error!.Code)}", result.Error.Message) : WithSdkMetadata(result.Value);

    // Step Functions names an SDK integration's error ServiceName.ErrorName with the Exception suffix even where the
    // service's own name has none: S3's NoSuchKey is S3.NoSuchKeyException, SQS's InternalError Sqs.InternalErrorException
    // (https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html#use-awssdk-integ).
    private static Evaluated Sdk(ServiceResult<JsonObject> result, string service) =>
        result.Failed ? Evaluated.Fail($"{service}.{Exception(result.Error!.Code)}", result.Error.Message) : result.Value;

    private static string Exception(string code) => code.EndsWith("Exception", StringComparison.Ordinal) ? code : code + "Exception";

    private static readonly JsonObject HttpOk = new JsonObjectBuilder(1).Set("HttpStatusCode", 200).Build();
    private static long _requests;

    /// <summary>Optimized integrations return the SDK's response metadata alongside the result (request ids are local counters).</summary>
    private static JsonObject WithSdkMetadata(JsonObject response) => response
        .SetItem("SdkHttpMetadata", HttpOk)
        .SetItem("SdkResponseMetadata", new JsonObjectBuilder(1).Set("RequestId", $"local-{Interlocked.Increment(ref _requests):x12}").Build());

    private sealed class DelegateHandler(Func<TaskInvocation, CancellationToken, Task<Evaluated>> body) : ITaskHandler
    {
        public async ValueTask<Evaluated> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken) => await body(invocation, cancellationToken);
    }
}
