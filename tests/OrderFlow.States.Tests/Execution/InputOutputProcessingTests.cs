using OrderFlow.States.Execution;
using OrderFlow.Json;
using static OrderFlow.States.Tests.Support.Engine;

namespace OrderFlow.States.Tests.Execution;

/// <summary>InputPath, Parameters, ResultSelector, ResultPath and OutputPath, with the AWS developer guide's examples.</summary>
public class InputOutputProcessingTests
{
    private const string TaskArn = "arn:aws:lambda:us-east-1:123456789012:function:HelloFunction";

    [Fact]
    public async Task InputPath_SelectsPartOfInput_DocsDataset2Example()
    {
        var output = await OutputAsync(Single("{'Type':'Pass','InputPath':'$.dataset2','End':true}"),
            """{"comment":"Example for InputPath.","dataset1":{"val1":1,"val2":2,"val3":3},"dataset2":{"val1":"a","val2":"b","val3":"c"}}""");
        JsonEqual("""{"val1":"a","val2":"b","val3":"c"}""", output);
    }

    [Fact]
    public async Task Parameters_PayloadTemplate_DocsProductExample()
    {
        var output = await OutputAsync(Single("""
            {'Type':'Pass','End':true,'Parameters':{'comment':'Selecting what I care about.',
             'MyDetails':{'size.$':'$.product.details.size','exists.$':'$.product.availability','StaticValue':'foo'}}}
            """),
            """{"comment":"Example for Parameters.","product":{"details":{"color":"blue","size":"small","material":"cotton"},"availability":"in stock","sku":"2317","cost":"$23"}}""");
        JsonEqual("""{"comment":"Selecting what I care about.","MyDetails":{"size":"small","exists":"in stock","StaticValue":"foo"}}""", output);
    }

    private const string HelloInput = """{"comment":"This is a test of the input and output of a Task state.","details":"Default example","who":"AWS Step Functions"}""";

    [Theory]
    [InlineData("", "\"Hello, AWS Step Functions!\"")]
    [InlineData(",'ResultPath':'$'", "\"Hello, AWS Step Functions!\"")]
    [InlineData(",'ResultPath':null", HelloInput)]
    [InlineData(",'ResultPath':'$.taskresult'", """{"comment":"This is a test of the input and output of a Task state.","details":"Default example","who":"AWS Step Functions","taskresult":"Hello, AWS Step Functions!"}""")]
    [InlineData(",'ResultPath':'$.strings.lambdaresult'", """{"comment":"This is a test of the input and output of a Task state.","details":"Default example","who":"AWS Step Functions","strings":{"lambdaresult":"Hello, AWS Step Functions!"}}""")]
    public async Task ResultPath_DocsHelloExamples_PlacesResult(string resultPath, string expected)
    {
        var options = WithHandler(TaskArn, inv => new JsonString($"Hello, {((JsonObject)inv.Parameters)["who"]!.ToJsonString().Trim('"')}!"));
        var output = await OutputAsync(Single($"{{'Type':'Task','Resource':'{TaskArn}','End':true{resultPath}}}"), HelloInput, options);
        JsonEqual(expected, output);
    }

    [Fact]
    public async Task ResultSelector_DocsEmrExample_SelectsBeforeResultPath()
    {
        var emrResult = J("""{"resourceType":"elasticmapreduce","resource":"createCluster.sync","output":{"SdkHttpMetadata":{"HttpStatusCode":200},"SdkResponseMetadata":{"RequestId":"1234-5678-9012"},"ClusterId":"AKIAIOSFODNN7EXAMPLE"}}""");
        var options = WithHandler("arn:aws:states:::elasticmapreduce:createCluster.sync", _ => emrResult);
        var output = await OutputAsync(Single("""
            {'Type':'Task','Resource':'arn:aws:states:::elasticmapreduce:createCluster.sync','End':true,
             'ResultSelector':{'ClusterId.$':'$.output.ClusterId','ResourceType.$':'$.resourceType'},'ResultPath':'$.EMROutput'}
            """), """{"cluster":"mine"}""", options);
        JsonEqual("""{"cluster":"mine","EMROutput":{"ClusterId":"AKIAIOSFODNN7EXAMPLE","ResourceType":"elasticmapreduce"}}""", output);
    }

    [Fact]
    public async Task ResultPath_MergesIntoRawInput_NotEffectiveInput_SpecNumbersExample()
    {
        var options = WithHandler(TaskArn, inv =>
        {
            var numbers = (JsonObject)inv.Parameters;
            return JsonNumber.FromDouble(((JsonNumber)numbers["val1"]!).Value + ((JsonNumber)numbers["val2"]!).Value);
        });
        var output = await OutputAsync(Single($"{{'Type':'Task','Resource':'{TaskArn}','InputPath':'$.numbers','ResultPath':'$.sum','End':true}}"),
            """{"title":"Numbers to add","numbers":{"val1":3,"val2":4}}""", options);
        JsonEqual("""{"title":"Numbers to add","numbers":{"val1":3,"val2":4},"sum":7}""", output);
    }

    [Theory]
    [InlineData("'OutputPath':'$.a'", "1")]
    [InlineData("'OutputPath':null", "{}")]
    [InlineData("'InputPath':null", "{}")]
    [InlineData("'InputPath':'$.list[*].v'", "[1,2]")]
    public async Task DataPaths_NullAndIndefinite_BehaveAsSpecified(string field, string expected)
    {
        var output = await OutputAsync(Single($"{{'Type':'Pass','End':true,{field}}}"), """{"a":1,"list":[{"v":1},{"v":2}]}""");
        JsonEqual(expected, output);
    }

    [Fact]
    public async Task Parameters_ContextObject_ExposesExecutionStateAndStateMachine()
    {
        var options = new ExecutionOptions { ExecutionName = "exec-1", StateMachineName = "orders", WaitTimeScale = 0 };
        var output = await OutputAsync(Single("""
            {'Type':'Pass','End':true,'Parameters':{'id.$':'$$.Execution.Id','name.$':'$$.Execution.Name','input.$':'$$.Execution.Input',
             'state.$':'$$.State.Name','retries.$':'$$.State.RetryCount','machine.$':'$$.StateMachine.Name','all.$':'$$.Execution.RedriveCount'}}
            """), """{"x":1}""", options);
        JsonEqual("""{"id":"arn:aws:states:us-east-1:123456789012:execution:orders:exec-1","name":"exec-1","input":{"x":1},"state":"S","retries":0,"machine":"orders","all":0}""", output);
    }

    [Fact]
    public async Task Parameters_PathToMissingField_FailsWithRuntimeNamingPathAndField_NotCaughtByAll()
    {
        var error = await ErrorAsync("""
            {'StartAt':'P','States':{'P':{'Type':'Task','Resource':'arn:aws:states:::lambda:invoke','Parameters':{'x.$':'$.missing'},
             'Catch':[{'ErrorEquals':['States.ALL'],'Next':'Caught'}],'End':true},'Caught':{'Type':'Succeed'}}}
            """, "{}", WithHandler("arn:aws:states:::lambda:invoke", _ => JsonObject.Empty));
        Assert.Equal(ErrorNames.Runtime, error.Error);
        Assert.Contains("'$.missing'", error.Cause);
        Assert.Contains("'x.$'", error.Cause);
    }

    [Fact]
    public async Task OutputPath_PathToMissingField_IsRuntimeAndFailsExecutionDespiteCatch()
    {
        var error = await ErrorAsync("""
            {'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:aws:states:::lambda:invoke','OutputPath':'$.nope',
             'Catch':[{'ErrorEquals':['States.ALL'],'Next':'Caught'}],'End':true},'Caught':{'Type':'Succeed'}}}
            """, "{}", WithHandler("arn:aws:states:::lambda:invoke", _ => J("{\"ok\":true}")));
        Assert.Equal(ErrorNames.Runtime, error.Error);
        Assert.Contains("$.nope", error.Cause);
    }

    [Fact]
    public async Task ResultPath_CannotBeApplied_IsResultPathMatchFailure_CaughtByAll()
    {
        var output = await OutputAsync("""
            {'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:aws:states:::lambda:invoke','ResultPath':'$.text.inner',
             'Catch':[{'ErrorEquals':['States.ALL'],'ResultPath':'$.error','Next':'Caught'}],'End':true},'Caught':{'Type':'Pass','End':true}}}
            """, """{"text":"a string"}""", WithHandler("arn:aws:states:::lambda:invoke", _ => JsonValue.True));
        var error = (JsonObject)((JsonObject)output)["error"]!;
        Assert.Equal(J("\"States.ResultPathMatchFailure\""), error["Error"]);
    }

    [Fact]
    public async Task InputPath_MissingField_IsRuntime()
    {
        var error = await ErrorAsync(Single("{'Type':'Pass','InputPath':'$.absent','End':true}"));
        Assert.Equal(ErrorNames.Runtime, error.Error);
        Assert.Contains("$.absent", error.Cause);
    }

    [Fact]
    public async Task Pass_Result_ReplacesInputAtResultPath()
    {
        var output = await OutputAsync(Single("{'Type':'Pass','Result':{'x-datum':0.381018,'y-datum':622.2269926397355},'ResultPath':'$.coords','End':true}"),
            """{"georefOf":"Home"}""");
        JsonEqual("""{"georefOf":"Home","coords":{"x-datum":0.381018,"y-datum":622.2269926397355}}""", output);
    }

    [Fact]
    public async Task Parameters_TemplateInsideArray_IsEvaluated()
    {
        var output = await OutputAsync(Single("{'Type':'Pass','End':true,'Parameters':{'list':[{'v.$':'$.a'},'literal',{'static':1}]}}"), """{"a":42}""");
        JsonEqual("""{"list":[{"v":42},"literal",{"static":1}]}""", output);
    }

    [Fact]
    public async Task Output_LargerThanQuota_FailsWithDataLimitExceeded()
    {
        var big = new string('x', 300 * 1024);
        var error = await ErrorAsync(Single("{'Type':'Pass','End':true,'Parameters':{'big.$':'$.s'}}"), "{\"s\":\"small\"}",
            new ExecutionOptions { MaxPayloadBytes = 14 });
        Assert.Equal(ErrorNames.DataLimitExceeded, error.Error);
        var input = $"{{\"s\":\"{big}\"}}";
        var inputError = await ErrorAsync(Single("{'Type':'Pass','End':true}"), input);
        Assert.Equal(ErrorNames.DataLimitExceeded, inputError.Error);
    }
}
