using OrderFlow.States.Model;
using OrderFlow.States.Parsing;

namespace OrderFlow.States.Tests.Parsing;

/// <summary>Every kind of invalid definition is rejected before it runs, each problem located.</summary>
public class DefinitionValidationTests
{
    private static IReadOnlyList<DefinitionProblem> Problems(string definition)
    {
        var json = definition.Contains('"') ? definition : definition.Replace('\'', '"');
        Assert.False(StateMachine.TryParse(json, out _, out var problems), "the definition should be invalid");
        return problems;
    }

    private static void AssertProblem(string definition, string location, string messagePart)
    {
        var problems = Problems(definition);
        Assert.True(problems.Any(p => p.Location == location && p.Message.Contains(messagePart, StringComparison.Ordinal)),
            $"expected a problem at '{location}' containing '{messagePart}', got:\n{string.Join("\n", problems)}");
    }

    private static string Single(string state) => $"{{'StartAt':'S','States':{{'S':{state}}}}}";

    [Theory]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Passs','End':true}}}", "States.A.Type", "\"Passs\" is not a state type")]
    [InlineData("{'StartAt':'B','States':{'A':{'Type':'Pass','End':true}}}", "StartAt", "state \"B\" does not exist")]
    [InlineData("{'States':{'A':{'Type':'Pass','End':true}}}", "StartAt", "is required")]
    [InlineData("{'StartAt':'A'}", "States", "is required")]
    [InlineData("{'StartAt':'A','States':{}}", "States", "at least one state")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Pass','Next':'Z'}}}", "States.A.Next", "state \"Z\" does not exist")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Pass'}}}", "States.A.Next", "is required unless End is true")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Pass','Next':'B','End':true},'B':{'Type':'Succeed'}}}", "States.A.End", "both Next and End")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Succeed'},'B':{'Type':'Succeed'}}}", "States.B", "not reachable")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Pass','End':true,'Bogus':1}}}", "States.A.Bogus", "is not a valid field of a Pass state")]
    [InlineData("{'StartAt':'A','Extra':1,'States':{'A':{'Type':'Succeed'}}}", "Extra", "is not a valid field of a state machine")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Pass','End':'yes'}}}", "States.A.End", "must be a boolean")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Pass','Comment':5,'End':true}}}", "States.A.Comment", "must be a string")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Pass','InputPath':'$.a[','End':true}}}", "States.A.InputPath", "not a valid JSONPath")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Pass','InputPath':'a.b','End':true}}}", "States.A.InputPath", "must start with '$'")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Pass','ResultPath':'$.a[*]','End':true}}}", "States.A.ResultPath", "must be a Reference Path")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Pass','ResultPath':'$$.Execution','End':true}}}", "States.A.ResultPath", "address the state's data")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Pass','Parameters':{'x.$':'not a path'},'End':true}}}", "States.A.Parameters.x.$", "neither a path")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Pass','Parameters':{'x.$':5},'End':true}}}", "States.A.Parameters.x.$", "must be a string")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Pass','Parameters':{'deep':{'x.$':'$.a..'}},'End':true}}}", "States.A.Parameters.deep.x.$", "not a valid JSONPath")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Task','End':true}}}", "States.A.Resource", "is required")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Task','Resource':'lambda','End':true}}}", "States.A.Resource", "is not an ARN")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Task','Resource':'arn:x','TimeoutSeconds':0,'End':true}}}", "States.A.TimeoutSeconds", "must be an integer")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Task','Resource':'arn:x','TimeoutSeconds':5,'HeartbeatSeconds':10,'End':true}}}", "States.A.HeartbeatSeconds", "smaller than TimeoutSeconds")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Task','Resource':'arn:x','Retry':[{'ErrorEquals':['States.ALL','X']}],'End':true}}}", "States.A.Retry[0].ErrorEquals", "must appear alone")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Task','Resource':'arn:x','Retry':[{'ErrorEquals':['States.ALL']},{'ErrorEquals':['X']}],'End':true}}}", "States.A.Retry[0].ErrorEquals", "last element of Retry")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Task','Resource':'arn:x','Catch':[{'ErrorEquals':['States.ALL'],'Next':'A'},{'ErrorEquals':['X'],'Next':'A'}],'End':true}}}", "States.A.Catch[0].ErrorEquals", "last element of Catch")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Task','Resource':'arn:x','Retry':[{'ErrorEquals':['States.Bogus']}],'End':true}}}", "States.A.Retry[0].ErrorEquals[0]", "not a predefined error name")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Task','Resource':'arn:x','Retry':[{'ErrorEquals':[]}],'End':true}}}", "States.A.Retry[0].ErrorEquals", "must not be empty")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Task','Resource':'arn:x','Retry':[{'ErrorEquals':['X'],'BackoffRate':0.5}],'End':true}}}", "States.A.Retry[0].BackoffRate", "≥ 1.0")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Task','Resource':'arn:x','Retry':[{'ErrorEquals':['X'],'JitterStrategy':'HALF'}],'End':true}}}", "States.A.Retry[0].JitterStrategy", "FULL or NONE")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Task','Resource':'arn:x','Retry':[{'ErrorEquals':['X'],'MaxAttempts':-1}],'End':true}}}", "States.A.Retry[0].MaxAttempts", "must be an integer")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Task','Resource':'arn:x','Catch':[{'ErrorEquals':['X']}],'End':true}}}", "States.A.Catch[0].Next", "is required")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Task','Resource':'arn:x','Catch':[{'ErrorEquals':['X'],'Next':'Nowhere'}],'End':true}}}", "States.A.Catch[0].Next", "state \"Nowhere\" does not exist")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Choice','Choices':[]}}}", "States.A.Choices", "must not be empty")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Choice','Choices':[{'Variable':'$.x','StringEquals':'a'}]}}}", "States.A.Choices[0].Next", "is required")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Choice','Choices':[{'Variable':'$.x','StringEquals':1,'Next':'A'}]}}}", "States.A.Choices[0].StringEquals", "must be a string")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Choice','Choices':[{'Variable':'$.x','NumericEquals':'1','Next':'A'}]}}}", "States.A.Choices[0].NumericEquals", "must be a number")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Choice','Choices':[{'Variable':'$.x','TimestampEquals':'yesterday','Next':'A'}]}}}", "States.A.Choices[0].TimestampEquals", "RFC 3339")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Choice','Choices':[{'Variable':'$.x','stringEquals':'a','Next':'A'}]}}}", "States.A.Choices[0].stringEquals", "did you mean \"StringEquals\"")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Choice','Choices':[{'Variable':'$.x','StringEquals':'a','NumericEquals':1,'Next':'A'}]}}}", "States.A.Choices[0]", "exactly one operator")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Choice','Choices':[{'StringEquals':'a','Next':'A'}]}}}", "States.A.Choices[0].Variable", "is required")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Choice','Choices':[{'And':[{'Variable':'$.x','IsNull':true,'Next':'A'}],'Next':'A'}]}}}", "States.A.Choices[0].And[0].Next", "only a top-level Choice rule")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Choice','Choices':[{'Variable':'$.x','IsPresent':true,'Next':'B'}],'Default':'C'},'B':{'Type':'Succeed'}}}", "States.A.Default", "state \"C\" does not exist")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Choice','Choices':[{'Variable':'$.x','IsPresent':true,'Next':'A'}],'Next':'A'}}}", "States.A.Next", "cannot have Next")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Wait','End':true}}}", "States.A.Seconds", "exactly one of")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Wait','Seconds':1,'SecondsPath':'$.s','End':true}}}", "States.A.Seconds", "exactly one of")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Wait','Timestamp':'2026-01-01 10:00','End':true}}}", "States.A.Timestamp", "RFC 3339")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Wait','SecondsPath':'$.a[*]','End':true}}}", "States.A.SecondsPath", "Reference Path")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Fail','Error':'E','ErrorPath':'$.e'}}}", "States.A.ErrorPath", "together with Error")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Fail','InputPath':'$'}}}", "States.A.InputPath", "is not a valid field of a Fail state")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Succeed','Next':'A'}}}", "States.A.Next", "is not a valid field of a Succeed state")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Parallel','Branches':[],'End':true}}}", "States.A.Branches", "must not be empty")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Parallel','Branches':[{'StartAt':'B','States':{'B':{'Type':'Pass','Next':'A'}}}],'End':true}}}", "States.A.Branches[0].States.B.Next", "cannot leave its branch")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Map','End':true}}}", "States.A.ItemProcessor", "is required")]
    [InlineData("{'StartAt':'Map','States':{'Map':{'Type':'Map','ItemProcessor':{'StartAt':'Validate','States':{'Validate':{'Type':'Pass','Next':'Put2'}}},'End':true}}}", "States.Map.ItemProcessor.States.Validate.Next", "state \"Put2\" does not exist")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Map','ItemProcessor':{'StartAt':'B','States':{'B':{'Type':'Succeed'}}},'ToleratedFailureCount':1,'End':true}}}", "States.A.ToleratedFailureCount", "only valid in a Map state whose")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Map','ItemProcessor':{'ProcessorConfig':{'Mode':'SOMETIMES'},'StartAt':'B','States':{'B':{'Type':'Succeed'}}},'End':true}}}", "States.A.ItemProcessor.ProcessorConfig.Mode", "INLINE or DISTRIBUTED")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Map','MaxConcurrency':-1,'ItemProcessor':{'StartAt':'B','States':{'B':{'Type':'Succeed'}}},'End':true}}}", "States.A.MaxConcurrency", "must be an integer")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Map','ItemProcessor':{'StartAt':'A','States':{'A':{'Type':'Succeed'}}},'End':true}}}", "States.A.ItemProcessor.States.A", "unique in the whole state machine")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Pass','Assign':{'1bad':1},'End':true}}}", "States.A.Assign.1bad", "not a valid variable name")]
    [InlineData("{'StartAt':'A','States':{'A':{'Type':'Pass','QueryLanguage':'JSONata','End':true}}}", "States.A.QueryLanguage", "JSONata is not supported")]
    [InlineData("{'StartAt':'A','Version':'2.0','States':{'A':{'Type':'Succeed'}}}", "Version", "must be \"1.0\"")]
    public void TryParse_InvalidDefinition_ReportsLocatedProblem(string definition, string location, string messagePart)
    {
        AssertProblem(definition, location, messagePart);
    }

    [Theory]
    [InlineData("{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Parameters\":{\"x.$\":\"States.Format('{}')\"},\"End\":true}}}", "States.A.Parameters.x.$", "placeholder")]
    [InlineData("{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Parameters\":{\"x.$\":\"States.Unknown(1)\"},\"End\":true}}}", "States.A.Parameters.x.$", "unknown intrinsic function")]
    [InlineData("{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Parameters\":{\"x.$\":\"States.Array(1\"},\"End\":true}}}", "States.A.Parameters.x.$", "not a valid intrinsic function")]
    [InlineData("{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Fail\",\"CausePath\":\"States.Hash('a')\"}}}", "States.A.CausePath", "takes 2 argument(s)")]
    public void TryParse_MalformedIntrinsic_ReportsLocatedProblem(string definition, string location, string messagePart)
    {
        AssertProblem(definition, location, messagePart);
    }

    [Fact]
    public void TryParse_SeveralProblems_ReportsEveryOne()
    {
        var problems = Problems("{'StartAt':'X','States':{'A':{'Type':'Pass','Next':'Nope','Bad':1},'B':{'Type':'Wait','End':true}}}");
        Assert.True(problems.Count >= 4, string.Join("\n", problems));
    }

    [Theory]
    [InlineData("[1,2]", "must be a JSON object")]
    [InlineData("\"text\"", "must be a JSON object")]
    [InlineData("{\"StartAt\":", "Malformed JSON at line 1")]
    public void TryParse_NotAnObjectOrMalformed_ReportsClearly(string json, string messagePart)
    {
        Assert.False(StateMachine.TryParse(json, out _, out var problems));
        Assert.Contains(messagePart, problems[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SeedDefinition_IsValid()
    {
        var machine = StateMachine.Parse(File.ReadAllText(Path.Combine("samples", "seed", "state-machine.asl.json")));
        Assert.Equal("GetObject", machine.Graph.StartAt);
    }

    [Fact]
    public void Parse_Invalid_ThrowsWithEveryProblemInMessage()
    {
        var ex = Assert.Throws<InvalidDefinitionException>(() => StateMachine.Parse("{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\"}}}"));
        Assert.Contains("States.A.Next: is required", ex.Message, StringComparison.Ordinal);
    }
}
