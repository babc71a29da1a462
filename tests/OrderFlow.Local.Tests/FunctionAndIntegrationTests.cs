using OrderFlow.Json;
using OrderFlow.Local.Functions;
using OrderFlow.Local.Tables;
using OrderFlow.States.Execution;
using OrderFlow.States.Model;
using static OrderFlow.Local.Tests.TestCloud;

namespace OrderFlow.Local.Tests;

/// <summary>Lambda semantics of the embedded functions, and the service integrations' shapes and error names.</summary>
public sealed class FunctionAndIntegrationTests : IAsyncLifetime
{
    private readonly TestCloud _t = new();

    public async Task InitializeAsync()
    {
        _t.Cloud.Functions.Register("echo", input => input, new Dictionary<string, string> { ["live"] = "1" }, new HashSet<string> { "1" });
        _t.Cloud.Functions.Register("boom", _ => throw new InvalidOperationException("it broke"));
        await _t.Cloud.Tables.CreateTableAsync(new TableSchema("t", "id", "S", null, null), CancellationToken.None);
    }

    public async Task DisposeAsync() => await _t.DisposeAsync();

    [Theory]
    [InlineData("echo", "$LATEST")]
    [InlineData("echo:live", "1")]
    [InlineData("echo:1", "1")]
    [InlineData("123456789012:function:echo", "$LATEST")]
    [InlineData("arn:aws:lambda:ap-south-1:047624741166:function:echo:$LATEST", "$LATEST")]
    public async Task Invoke_NamesArnsVersionsAliases_ResolveAsLambdaDoes(string functionName, string executedVersion)
    {
        var result = await _t.Cloud.Functions.InvokeAsync(J($"{{'FunctionName':'{functionName}','Payload':{{'a':1}}}}"), CancellationToken.None);
        Assert.Equal(new JsonString(executedVersion), result.Value["ExecutedVersion"]);
        Assert.Equal(J("{'a':1}"), result.Value["Payload"]);
        Assert.Equal(JsonValue.FromNumber(200), result.Value["StatusCode"]);
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("echo:2")]
    [InlineData("echo:dev")]
    public async Task Invoke_Unknown_IsResourceNotFound(string functionName)
    {
        var result = await _t.Cloud.Functions.InvokeAsync(J($"{{'FunctionName':'{functionName}'}}"), CancellationToken.None);
        Assert.Equal("ResourceNotFoundException", result.Error!.Code);
    }

    private async Task<ExecutionResult> RunTask(string resource, string parameters)
    {
        var machine = StateMachine.Parse("{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":\"" + resource + "\",\"Parameters\":" + parameters + ",\"End\":true}}}");
        return await machine.RunAsync(JsonObject.Empty, _t.Cloud.ExecutionOptions);
    }

    [Fact]
    public async Task LambdaInvoke_UnhandledError_FailsTaskWithErrorTypeAndLambdaCause()
    {
        var result = await RunTask("arn:aws:states:::lambda:invoke", """{"FunctionName":"boom","Payload":{}}""");
        Assert.Equal("InvalidOperationException", result.Error!.Error);
        var cause = (JsonObject)JsonValue.Parse(result.Error.Cause!);
        Assert.Equal(new JsonString("it broke"), cause["errorMessage"]);
        Assert.Equal(new JsonString("InvalidOperationException"), cause["errorType"]);
        Assert.IsType<JsonArray>(cause["stackTrace"]);
    }

    [Fact]
    public async Task LambdaInvoke_Success_ReturnsInvokeResponseShape_FunctionArnReturnsPayload()
    {
        var invoke = await RunTask("arn:aws:states:::lambda:invoke", """{"FunctionName":"echo","Payload":{"x":1}}""");
        var output = (JsonObject)invoke.Output!;
        Assert.Equal(J("{'x':1}"), output["Payload"]);
        Assert.True(output.ContainsKey("SdkHttpMetadata"));
        var direct = await RunTask("arn:aws:lambda:us-east-1:123456789012:function:echo", """{"x":2}""");
        Assert.Equal(J("{'x':2}"), direct.Output);
    }

    [Theory]
    [InlineData("arn:aws:states:::lambda:invoke", """{"FunctionName":"missing"}""", "Lambda.ResourceNotFoundException")]
    [InlineData("arn:aws:states:::dynamodb:getItem", """{"TableName":"missing","Key":{"id":{"S":"1"}}}""", "DynamoDB.ResourceNotFoundException")]
    [InlineData("arn:aws:states:::aws-sdk:dynamodb:getItem", """{"TableName":"missing","Key":{"id":{"S":"1"}}}""", "DynamoDb.ResourceNotFoundException")]
    [InlineData("arn:aws:states:::sqs:sendMessage", """{"QueueUrl":"https://sqs.us-east-1.amazonaws.com/1/none","MessageBody":"x"}""", "SQS.QueueDoesNotExistException")]
    [InlineData("arn:aws:states:::aws-sdk:s3:getObject", """{"Bucket":"none","Key":"k"}""", "S3.NoSuchBucketException")]
    public async Task Integrations_ServiceErrors_AreNamedAsStepFunctionsNamesThem(string resource, string parameters, string error)
    {
        var result = await RunTask(resource, parameters);
        Assert.Equal(error, result.Error!.Error);
    }

    [Fact]
    public async Task DynamoDbPutItem_InsertOnlyTwice_SecondIsConditionalCheckFailed()
    {
        const string put = """{"TableName":"t","Item":{"id":{"S":"1"}},"ConditionExpression":"attribute_not_exists(id)"}""";
        Assert.Equal(ExecutionStatus.Succeeded, (await RunTask("arn:aws:states:::dynamodb:putItem", put)).Status);
        Assert.Equal("DynamoDB.ConditionalCheckFailedException", (await RunTask("arn:aws:states:::dynamodb:putItem", put)).Error!.Error);
    }

    [Fact]
    public async Task EventsPutEvents_StartsMatchingRuleTargets()
    {
        await _t.Cloud.StateMachines.CreateAsync("echo-machine", """{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""", CancellationToken.None);
        _t.Cloud.Bus.AddRule("custom", OrderFlow.Events.Patterns.EventPattern.Parse("""{"source":["my.app"]}"""), ["echo-machine"]);
        var result = await RunTask("arn:aws:states:::events:putEvents", """{"Entries":[{"Source":"my.app","DetailType":"Thing","Detail":{"n":1}}]}""");
        Assert.Equal(JsonValue.FromNumber(0), ((JsonObject)result.Output!)["FailedEntryCount"]);
        await Task.WhenAll(_t.Cloud.TakeStartedExecutions());
        var execution = Assert.Single(_t.Cloud.StateMachines.ListExecutions("echo-machine"));
        Assert.Equal("SUCCEEDED", execution.Status);
    }
}
