using OrderFlow.States.Execution;
using OrderFlow.Json;
using OrderFlow.States.Mocking;
using OrderFlow.States.Model;
using static OrderFlow.States.Tests.Support.Engine;

namespace OrderFlow.States.Tests.Mocking;

/// <summary>Mocked responses in the Step Functions Local MockConfigFile format, and the seed's workflow run with them.</summary>
public class MockConfigTests
{
    private static string Sample(params string[] parts) => File.ReadAllText(Path.Combine(["samples", .. parts]));

    [Fact]
    public async Task SeedWorkflow_WithMockConfig_OneOrderStoredOneCaughtIntoQueue()
    {
        var machine = StateMachine.Parse(Sample("seed", "state-machine.asl.json"));
        var mocks = MockConfig.Parse(J(Sample("seed", "mock-config.json"))).GetTestCase(null, "OneStoredOneRejected");
        var result = await machine.RunAsync(J(Sample("seed", "s3-object-created.event.json")),
            new ExecutionOptions { Mocks = mocks, StateMachineName = mocks.StateMachineName, WaitTimeScale = 0 });

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var entered = result.History.Where(e => e.Type == "TaskStateEntered").Select(e => ((JsonString)e.Details!["name"]!).Value).ToList();
        Assert.Equal(["GetObject", "validate-order-data", "DynamoDB PutItem", "validate-order-data", "SQS SendMessage"], entered);

        var putItem = Scheduled(result, "dynamodb");
        JsonEqual("""{"TableName":"ecom-order","Item":{"OrderId":{"S":"1"},"item-id":{"S":"101"},"qty":{"S":"1"},"contact-name":{"S":"Foo Bar"},"contact-email":{"S":"foobar@test.com"}}}""", putItem);
        var sendMessage = Scheduled(result, "sqs");
        JsonEqual("""{"MessageBody":{"order-info":{"orderId":"2","item-id":"102","item-desc":"Item Two","qty":"2"}},"QueueUrl":"https://sqs.ap-south-1.amazonaws.com/047624741166/order-data-dlq"}""", sendMessage);
    }

    private static JsonValue Scheduled(ExecutionResult result, string resourceType) =>
        J(((JsonString)result.History.Single(e => e.Type == "TaskScheduled" && ((JsonString)e.Details!["resourceType"]!).Value == resourceType)
            .Details!["parameters"]!).Value);

    private const string Definition = """
        {'StartAt':'Call','States':{'Call':{'Type':'Task','Resource':'arn:aws:states:::lambda:invoke',
          'Retry':[{'ErrorEquals':['Lambda.TooManyRequestsException'],'IntervalSeconds':1,'MaxAttempts':3}],
          'Catch':[{'ErrorEquals':['States.ALL'],'ResultPath':'$.error','Next':'Failed'}],'End':true},
          'Failed':{'Type':'Pass','End':true}}}
        """;

    private static MockedTestCase Case(string responses) => MockConfig.Parse(J(
        "{\"StateMachines\":{\"M\":{\"TestCases\":{\"T\":{\"Call\":\"R\"}}}},\"MockedResponses\":{\"R\":" + responses + "}}"))
        .GetTestCase("M", "T");

    [Fact]
    public async Task Mock_ThrowThenReturnByRange_RetriesAndSucceeds()
    {
        var mocks = Case("""{"0-1":{"Throw":{"Error":"Lambda.TooManyRequestsException","Cause":"slow down"}},"2":{"Return":{"Payload":"ok"}}}""");
        var output = await OutputAsync(Definition, "{}", new ExecutionOptions { Mocks = mocks, WaitTimeScale = 0 });
        JsonEqual("""{"Payload":"ok"}""", output);
    }

    [Fact]
    public async Task Mock_ThrowOtherError_IsCaught()
    {
        var mocks = Case("""{"0":{"Throw":{"Error":"Lambda.ResourceNotFoundException","Cause":"no function"}}}""");
        var output = await OutputAsync(Definition, """{"in":1}""", new ExecutionOptions { Mocks = mocks, WaitTimeScale = 0 });
        JsonEqual("""{"in":1,"error":{"Error":"Lambda.ResourceNotFoundException","Cause":"no function"}}""", output);
    }

    [Fact]
    public async Task Mock_InvocationWithoutResponse_FailsWithRuntime()
    {
        var mocks = Case("""{"0":{"Throw":{"Error":"Lambda.TooManyRequestsException","Cause":"x"}}}""");
        var error = await ErrorAsync(Definition, "{}", new ExecutionOptions { Mocks = mocks, WaitTimeScale = 0 });
        Assert.Equal(ErrorNames.Runtime, error.Error);
        Assert.Contains("invocation 1", error.Cause);
    }

    [Theory]
    [InlineData("""{"StateMachines":{},"MockedResponses":{"R":{"zero":{"Return":1}}}}""", "invocation number")]
    [InlineData("""{"StateMachines":{},"MockedResponses":{"R":{"0":{"Maybe":1}}}}""", "Return")]
    [InlineData("""{"StateMachines":{"M":{"TestCases":{"T":{"S":"Missing"}}}},"MockedResponses":{}}""", "must name one of MockedResponses")]
    [InlineData("""[]""", "must be a JSON object")]
    public void Parse_InvalidMockConfig_ThrowsWithReason(string json, string reason)
    {
        var ex = Assert.Throws<FormatException>(() => MockConfig.Parse(J(json)));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetTestCase_Unknown_ThrowsNamingIt()
    {
        var config = MockConfig.Parse(J("""{"StateMachines":{"M":{"TestCases":{"T":{}}}},"MockedResponses":{}}"""));
        var ex = Assert.Throws<KeyNotFoundException>(() => config.GetTestCase(null, "Other"));
        Assert.Contains("\"Other\"", ex.Message, StringComparison.Ordinal);
    }
}
