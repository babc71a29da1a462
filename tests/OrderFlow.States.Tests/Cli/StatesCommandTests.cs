using OrderFlow.Json;
using static OrderFlow.States.Tests.Support.Engine;

namespace OrderFlow.States.Tests.Cli;

/// <summary>The fixed contracts of <c>orderflow states validate</c> and <c>orderflow states run</c>.</summary>
public sealed class StatesCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Sample(params string[] parts) => Path.Combine(AppContext.BaseDirectory, Path.Combine(["samples", .. parts]));

    private string Definition(string body) => _dir.Write("def.asl.json", body.Contains('"') ? body : body.Replace('\'', '"'));

    [Fact]
    public async Task Validate_ValidDefinition_ExitsZero()
    {
        var result = await CliProcess.RunAsync(null, "states", "validate", Sample("seed", "state-machine.asl.json"));
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("valid", result.Stdout);
    }

    [Fact]
    public async Task Validate_InvalidDefinition_ExitsTwoListingEveryProblem()
    {
        var path = Definition("{'StartAt':'Map','States':{'Map':{'Type':'Map','ItemProcessor':{'StartAt':'Validate','States':{'Validate':{'Type':'Pass','Next':'Put2'}}},'End':true},'Lost':{'Type':'Succeed'}}}");
        var result = await CliProcess.RunAsync(null, "states", "validate", path);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("States.Map.ItemProcessor.States.Validate.Next: state \"Put2\" does not exist", result.Stderr);
        Assert.Contains("States.Lost: state \"Lost\" is not reachable", result.Stderr);
    }

    [Fact]
    public async Task Validate_MissingFile_ExitsTwo()
    {
        var result = await CliProcess.RunAsync(null, "states", "validate", Path.Combine(_dir.Path, "none.json"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Cannot read", result.Stderr);
    }

    [Fact]
    public async Task Run_Succeeds_PrintsStatusAndOutput_ExitsZero()
    {
        var path = Definition("{'StartAt':'A','States':{'A':{'Type':'Pass','Parameters':{'got.$':'$.x'},'End':true}}}");
        var input = _dir.Write("in.json", """{"x":[1,2]}""");
        var result = await CliProcess.RunAsync(null, "states", "run", "--definition", path, "--input", input);
        Assert.Equal(0, result.ExitCode);
        JsonEqual("""{"status":"SUCCEEDED","output":{"got":[1,2]}}""", J(result.Stdout));
    }

    [Fact]
    public async Task Run_NoInput_UsesEmptyObject()
    {
        var path = Definition("{'StartAt':'A','States':{'A':{'Type':'Pass','End':true}}}");
        var result = await CliProcess.RunAsync(null, "states", "run", "--definition", path);
        JsonEqual("""{"status":"SUCCEEDED","output":{}}""", J(result.Stdout));
    }

    [Fact]
    public async Task Run_InputFromStdin_IsRead()
    {
        var path = Definition("{'StartAt':'A','States':{'A':{'Type':'Pass','End':true}}}");
        var result = await CliProcess.RunAsync("""{"from":"stdin"}""", "states", "run", "--definition", path, "--input", "-");
        JsonEqual("""{"status":"SUCCEEDED","output":{"from":"stdin"}}""", J(result.Stdout));
    }

    [Theory]
    [InlineData("{'StartAt':'F','States':{'F':{'Type':'Fail','Error':'Order.Bad','Cause':'qty'}}}", """{"status":"FAILED","error":"Order.Bad","cause":"qty"}""")]
    [InlineData("{'StartAt':'F','States':{'F':{'Type':'Fail','Error':'Order.Bad'}}}", """{"status":"FAILED","error":"Order.Bad","cause":null}""")]
    public async Task Run_Fails_PrintsErrorAndCause_ExitsOne(string definition, string expected)
    {
        var result = await CliProcess.RunAsync(null, "states", "run", "--definition", Definition(definition));
        Assert.Equal(1, result.ExitCode);
        JsonEqual(expected, J(result.Stdout));
    }

    [Fact]
    public async Task Run_WithHistory_IncludesEvents()
    {
        var path = Definition("{'StartAt':'A','States':{'A':{'Type':'Pass','End':true}}}");
        var result = await CliProcess.RunAsync(null, "states", "run", "--definition", path, "--history");
        var output = (JsonObject)J(result.Stdout);
        var types = ((JsonArray)output["events"]!).Select(e => ((JsonString)((JsonObject)e)["type"]!).Value);
        Assert.Equal(["ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"], types);
    }

    [Fact]
    public async Task Run_SeedWithMockConfig_StoresOneOrderAndQueuesTheOther()
    {
        var result = await CliProcess.RunAsync(null, "states", "run", "--definition", Sample("seed", "state-machine.asl.json"),
            "--input", Sample("seed", "s3-object-created.event.json"), "--mock-config", Sample("seed", "mock-config.json"),
            "--test-case", "OneStoredOneRejected", "--history");
        Assert.Equal(0, result.ExitCode);
        var output = (JsonObject)J(result.Stdout);
        Assert.Equal(new JsonString("SUCCEEDED"), output["status"]);
        var states = ((JsonArray)output["events"]!).Cast<JsonObject>()
            .Where(e => ((JsonString)e["type"]!).Value == "TaskStateEntered")
            .Select(e => ((JsonString)((JsonObject)e["stateEnteredEventDetails"]!)["name"]!).Value);
        Assert.Equal(["GetObject", "validate-order-data", "DynamoDB PutItem", "validate-order-data", "SQS SendMessage"], states);
    }

    [Fact]
    public async Task Run_InvalidDefinition_ExitsTwo()
    {
        var result = await CliProcess.RunAsync(null, "states", "run", "--definition", Definition("{'StartAt':'A','States':{}}"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("States: must contain at least one state", result.Stderr);
    }

    [Fact]
    public async Task Run_MalformedInput_ExitsTwoWithLineAndColumn()
    {
        var path = Definition("{'StartAt':'A','States':{'A':{'Type':'Pass','End':true}}}");
        var input = _dir.Write("in.json", "{\n  \"x\": [1, 2,\n}");
        var result = await CliProcess.RunAsync(null, "states", "run", "--definition", path, "--input", input);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("line 3", result.Stderr);
    }

    [Theory]
    [InlineData("states", "run")]
    [InlineData("states", "run", "--definition", "x.json", "--mock-config", "m.json")]
    [InlineData("states", "frobnicate")]
    public async Task Run_InvalidUsage_ExitsTwo(params string[] args)
    {
        var result = await CliProcess.RunAsync(null, args);
        Assert.Equal(2, result.ExitCode);
        Assert.False(string.IsNullOrWhiteSpace(result.Stderr));
    }
}
