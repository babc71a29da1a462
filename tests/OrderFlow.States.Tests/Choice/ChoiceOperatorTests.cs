using OrderFlow.States.Execution;
using OrderFlow.Json;
using static OrderFlow.States.Tests.Support.Engine;

namespace OrderFlow.States.Tests.Choice;

/// <summary>Every Choice comparison operator, matching and not matching, on the States Language's semantics.</summary>
public class ChoiceOperatorTests
{
    private static string Machine(string rule) =>
        "{'StartAt':'C','States':{'C':{'Type':'Choice','Choices':[" + rule + "],'Default':'No'},"
        + "'Yes':{'Type':'Pass','Result':'yes','End':true},'No':{'Type':'Pass','Result':'no','End':true}}}";

    private const string Input = """
        {"s":"banana","s2":"banana","s3":"cherry","n":300,"n2":300.0,"n3":12.5,"b":true,"b2":true,"nul":null,
         "t":"2026-03-14T01:59:00Z","t2":"2026-03-14T03:59:00+02:00","t3":"2026-03-15T00:00:00Z","star":"a*b","slash":"a\\b",
         "arr":[1,2],"obj":{"x":1},"numstr":"300","empty":""}
        """;

    [Theory]
    [InlineData("'Variable':'$.s','StringEquals':'banana'", true)]
    [InlineData("'Variable':'$.s','StringEquals':'Banana'", false)]
    [InlineData("'Variable':'$.n','StringEquals':'300'", false)]
    [InlineData("'Variable':'$.s','StringEqualsPath':'$.s2'", true)]
    [InlineData("'Variable':'$.s','StringLessThan':'cherry'", true)]
    [InlineData("'Variable':'$.s','StringLessThanPath':'$.s3'", true)]
    [InlineData("'Variable':'$.s','StringGreaterThan':'apple'", true)]
    [InlineData("'Variable':'$.s','StringGreaterThanPath':'$.s3'", false)]
    [InlineData("'Variable':'$.s','StringLessThanEquals':'banana'", true)]
    [InlineData("'Variable':'$.s','StringLessThanEqualsPath':'$.s2'", true)]
    [InlineData("'Variable':'$.s','StringGreaterThanEquals':'banana'", true)]
    [InlineData("'Variable':'$.s','StringGreaterThanEqualsPath':'$.s3'", false)]
    [InlineData("'Variable':'$.n','NumericEquals':300", true)]
    [InlineData("'Variable':'$.n2','NumericEquals':300", true)]
    [InlineData("'Variable':'$.numstr','NumericEquals':300", false)]
    [InlineData("'Variable':'$.n','NumericEqualsPath':'$.n2'", true)]
    [InlineData("'Variable':'$.n3','NumericLessThan':13", true)]
    [InlineData("'Variable':'$.n3','NumericLessThanPath':'$.n'", true)]
    [InlineData("'Variable':'$.n3','NumericGreaterThan':12.5", false)]
    [InlineData("'Variable':'$.n','NumericGreaterThanPath':'$.n3'", true)]
    [InlineData("'Variable':'$.n3','NumericLessThanEquals':12.5", true)]
    [InlineData("'Variable':'$.n3','NumericLessThanEqualsPath':'$.n'", true)]
    [InlineData("'Variable':'$.n','NumericGreaterThanEquals':300", true)]
    [InlineData("'Variable':'$.n3','NumericGreaterThanEqualsPath':'$.n'", false)]
    [InlineData("'Variable':'$.b','BooleanEquals':true", true)]
    [InlineData("'Variable':'$.b','BooleanEquals':false", false)]
    [InlineData("'Variable':'$.s','BooleanEquals':true", false)]
    [InlineData("'Variable':'$.b','BooleanEqualsPath':'$.b2'", true)]
    [InlineData("'Variable':'$.t','TimestampEquals':'2026-03-14T01:59:00Z'", true)]
    [InlineData("'Variable':'$.t','TimestampEqualsPath':'$.t2'", true)]
    [InlineData("'Variable':'$.t','TimestampLessThan':'2026-03-14T02:00:00Z'", true)]
    [InlineData("'Variable':'$.t','TimestampLessThanPath':'$.t3'", true)]
    [InlineData("'Variable':'$.t3','TimestampGreaterThan':'2026-03-14T01:59:00Z'", true)]
    [InlineData("'Variable':'$.t','TimestampGreaterThanPath':'$.t3'", false)]
    [InlineData("'Variable':'$.t','TimestampLessThanEquals':'2026-03-14T01:59:00Z'", true)]
    [InlineData("'Variable':'$.t3','TimestampLessThanEqualsPath':'$.t'", false)]
    [InlineData("'Variable':'$.t','TimestampGreaterThanEquals':'2026-03-14T01:59:00Z'", true)]
    [InlineData("'Variable':'$.t3','TimestampGreaterThanEqualsPath':'$.t'", true)]
    [InlineData("'Variable':'$.s','TimestampEquals':'2026-03-14T01:59:00Z'", false)]
    [InlineData("'Variable':'$.s','StringMatches':'b*'", true)]
    [InlineData("'Variable':'$.s','StringMatches':'*nan*'", true)]
    [InlineData("'Variable':'$.s','StringMatches':'*x*'", false)]
    [InlineData("'Variable':'$.s','StringMatches':'b*n*a'", true)]
    [InlineData("'Variable':'$.star','StringMatches':'a\\\\*b'", true)]
    [InlineData("'Variable':'$.s','StringMatches':'b\\\\*'", false)]
    [InlineData("'Variable':'$.slash','StringMatches':'a\\\\\\\\b'", true)]
    [InlineData("'Variable':'$.empty','StringMatches':'*'", true)]
    [InlineData("'Variable':'$.nul','IsNull':true", true)]
    [InlineData("'Variable':'$.s','IsNull':true", false)]
    [InlineData("'Variable':'$.s','IsPresent':true", true)]
    [InlineData("'Variable':'$.missing','IsPresent':true", false)]
    [InlineData("'Variable':'$.missing','IsPresent':false", true)]
    [InlineData("'Variable':'$.nul','IsPresent':true", true)]
    [InlineData("'Variable':'$.n','IsNumeric':true", true)]
    [InlineData("'Variable':'$.numstr','IsNumeric':true", false)]
    [InlineData("'Variable':'$.s','IsString':true", true)]
    [InlineData("'Variable':'$.n','IsString':false", true)]
    [InlineData("'Variable':'$.b','IsBoolean':true", true)]
    [InlineData("'Variable':'$.s','IsBoolean':true", false)]
    [InlineData("'Variable':'$.t','IsTimestamp':true", true)]
    [InlineData("'Variable':'$.s','IsTimestamp':true", false)]
    [InlineData("'And':[{'Variable':'$.n','NumericEquals':300},{'Variable':'$.b','BooleanEquals':true}]", true)]
    [InlineData("'And':[{'Variable':'$.n','NumericEquals':300},{'Variable':'$.b','BooleanEquals':false}]", false)]
    [InlineData("'Or':[{'Variable':'$.n','NumericEquals':1},{'Variable':'$.b','BooleanEquals':true}]", true)]
    [InlineData("'Or':[{'Variable':'$.n','NumericEquals':1},{'Variable':'$.b','BooleanEquals':false}]", false)]
    [InlineData("'Not':{'Variable':'$.s','StringEquals':'apple'}", true)]
    [InlineData("'Not':{'Variable':'$.s','StringEquals':'banana'}", false)]
    [InlineData("'And':[{'Not':{'Variable':'$.missing','IsPresent':true}},{'Or':[{'Variable':'$.s','StringMatches':'*a'}]}]", true)]
    public async Task Choice_Operator_MatchesAsSpecified(string rule, bool matches)
    {
        var output = await OutputAsync(Machine($"{{{rule},'Next':'Yes'}}"), Input);
        Assert.Equal(new JsonString(matches ? "yes" : "no"), output);
    }

    [Fact]
    public async Task Choice_VariableMissing_FailsWithRuntime()
    {
        var error = await ErrorAsync(Machine("{'Variable':'$.missing','StringEquals':'x','Next':'Yes'}"), Input);
        Assert.Equal(ErrorNames.Runtime, error.Error);
        Assert.Contains("$.missing", error.Cause);
    }

    [Fact]
    public async Task Choice_NoRuleMatchesAndNoDefault_FailsWithNoChoiceMatched()
    {
        var error = await ErrorAsync("""
            {'StartAt':'C','States':{'C':{'Type':'Choice','Choices':[{'Variable':'$.n','NumericEquals':1,'Next':'Y'}]},'Y':{'Type':'Succeed'}}}
            """, Input);
        Assert.Equal(ErrorNames.NoChoiceMatched, error.Error);
    }

    [Fact]
    public async Task Choice_FirstMatchingRuleWins_AndOutputIsInputAfterPaths()
    {
        var output = await OutputAsync("""
            {'StartAt':'C','States':{'C':{'Type':'Choice','InputPath':'$.obj','OutputPath':'$.x','Choices':[
               {'Variable':'$.x','NumericGreaterThan':0,'Next':'A'},{'Variable':'$.x','NumericEquals':1,'Next':'B'}]},
             'A':{'Type':'Pass','End':true},'B':{'Type':'Fail','Error':'Wrong'}}}
            """, Input);
        Assert.Equal(JsonNumber.FromInt64(1), output);
    }

    [Fact]
    public async Task Choice_ContextAndVariablePaths_CanBeCompared()
    {
        var output = await OutputAsync("""
            {'StartAt':'Set','States':{
              'Set':{'Type':'Pass','Assign':{'limit':10},'Next':'C'},
              'C':{'Type':'Choice','Choices':[{'Variable':'$.n','NumericLessThanPath':'$limit','Next':'Low'},
                                              {'Variable':'$$.State.Name','StringEquals':'C','Next':'Named'}]},
              'Low':{'Type':'Pass','Result':'low','End':true},'Named':{'Type':'Pass','Result':'named','End':true}}}
            """, Input);
        Assert.Equal(new JsonString("named"), output);
    }
}
