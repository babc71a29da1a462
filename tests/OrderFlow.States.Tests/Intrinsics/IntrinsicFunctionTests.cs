using OrderFlow.States.Execution;
using OrderFlow.States.Intrinsics;
using OrderFlow.Json;
using OrderFlow.States.Paths;
using OrderFlow.States.Tests.Support;
using static OrderFlow.States.Tests.Support.Engine;

namespace OrderFlow.States.Tests.Intrinsics;

/// <summary>Cases from the AWS developer guide's intrinsic function examples, plus edge cases.</summary>
public class IntrinsicFunctionTests
{
    private sealed class Scope(IRandomSource random) : IEvaluationScope
    {
        public JsonValue Context => JsonObject.Empty;

        public bool TryGetVariable(string name, out JsonValue value)
        {
            value = JsonValue.Null;
            return false;
        }

        public IRandomSource Random { get; } = random;
    }

    private static Evaluated Eval(string call, string input = "{}", IRandomSource? random = null) =>
        IntrinsicExpression.Parse(call).Evaluate(new PathRoots(J(input), new Scope(random ?? new SeededRandomSource(1))));

    [Theory]
    [InlineData("States.Format('Hello, my name is {}.', $.name)", "{\"name\":\"Arnav\"}", "\"Hello, my name is Arnav.\"")]
    [InlineData("States.Format('{} {} {} {}', 1, true, null, 'x')", "{}", "\"1 true null x\"")]
    [InlineData("States.Format('braces \\{\\} quote \\' slash \\\\ {}', 'v')", "{}", "\"braces {} quote ' slash \\\\ v\"")]
    [InlineData("States.StringToJson($.someString)", "{\"someString\":\"{\\\"number\\\": 20}\"}", "{\"number\":20}")]
    [InlineData("States.JsonToString($.someJson)", "{\"someJson\":{\"name\":\"Foo\",\"year\":2020}}", "\"{\\\"name\\\":\\\"Foo\\\",\\\"year\\\":2020}\"")]
    [InlineData("States.Array('Foo', 2020, $.someJson, null)", "{\"someJson\":{\"random\":\"abcdefghi\"}}", "[\"Foo\",2020,{\"random\":\"abcdefghi\"},null]")]
    [InlineData("States.ArrayPartition($.inputArray,4)", "{\"inputArray\":[1,2,3,4,5,6,7,8,9]}", "[[1,2,3,4],[5,6,7,8],[9]]")]
    [InlineData("States.ArrayContains($.inputArray, $.lookingFor)", "{\"inputArray\":[1,2,3,4,5,6,7,8,9],\"lookingFor\":5}", "true")]
    [InlineData("States.ArrayContains($.inputArray, 'x')", "{\"inputArray\":[1,2]}", "false")]
    [InlineData("States.ArrayRange(1, 9, 2)", "{}", "[1,3,5,7,9]")]
    [InlineData("States.ArrayRange(10, 0, -5)", "{}", "[10,5,0]")]
    [InlineData("States.ArrayGetItem($.inputArray, $.index)", "{\"inputArray\":[1,2,3,4,5,6,7,8,9],\"index\":5}", "6")]
    [InlineData("States.ArrayLength($.inputArray)", "{\"inputArray\":[1,2,3,4,5,6,7,8,9]}", "9")]
    [InlineData("States.ArrayUnique($.inputArray)", "{\"inputArray\":[1,2,3,3,3,3,3,3,4]}", "[1,2,3,4]")]
    [InlineData("States.Base64Encode($.input)", "{\"input\":\"Data to encode\"}", "\"RGF0YSB0byBlbmNvZGU=\"")]
    [InlineData("States.Base64Decode($.base64)", "{\"base64\":\"RGF0YSB0byBlbmNvZGU=\"}", "\"Data to encode\"")]
    [InlineData("States.Hash($.Data, $.Algorithm)", "{\"Data\":\"input data\",\"Algorithm\":\"SHA-1\"}", "\"aaff4a450a104cd177d28d18d74485e8cae074b7\"")]
    [InlineData("States.Hash('input data', 'MD5')", "{}", "\"812f45842bc6d66ee14572ce20db8e86\"")]
    [InlineData("States.JsonMerge($.json1, $.json2, false)", "{\"json1\":{\"a\":{\"a1\":1,\"a2\":2},\"b\":2},\"json2\":{\"a\":{\"a3\":1,\"a4\":2},\"c\":3}}", "{\"a\":{\"a3\":1,\"a4\":2},\"b\":2,\"c\":3}")]
    [InlineData("States.MathAdd($.value1, $.step)", "{\"value1\":111,\"step\":-1}", "110")]
    [InlineData("States.StringSplit($.inputString, $.splitter)", "{\"inputString\":\"1,2,3,4,5\",\"splitter\":\",\"}", "[\"1\",\"2\",\"3\",\"4\",\"5\"]")]
    [InlineData("States.StringSplit($.inputString, $.splitter)", "{\"inputString\":\"This.is+a,test=string\",\"splitter\":\".+,=\"}", "[\"This\",\"is\",\"a\",\"test\",\"string\"]")]
    [InlineData("States.ArrayLength(States.Array(1, States.Array(2, 3)))", "{}", "2")]
    [InlineData("States.Format('{}', States.MathAdd(1, 2))", "{}", "\"3\"")]
    public void Evaluate_DocumentedExample_ReturnsDocumentedResult(string call, string input, string expected)
    {
        var result = Eval(call, input);
        Assert.False(result.Failed, result.Error?.Cause);
        JsonEqual(expected, result.Value);
    }

    [Fact]
    public void Evaluate_MathRandom_StaysInRangeAndSeedIsReproducible()
    {
        for (var i = 0; i < 200; i++)
        {
            var value = ((JsonNumber)Eval("States.MathRandom(1, 999)", random: SystemRandomSource.Instance).Value).Value;
            Assert.InRange(value, 1, 998);
        }
        Assert.Equal(Eval("States.MathRandom(1, 999, 1234)").Value, Eval("States.MathRandom(1, 999, 1234)").Value);
    }

    [Fact]
    public void Evaluate_Uuid_IsVersion4FromInjectedSource()
    {
        var value = ((JsonString)Eval("States.UUID()", random: new SeededRandomSource(7)).Value).Value;
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", value);
        Assert.Equal(value, ((JsonString)Eval("States.UUID()", random: new SeededRandomSource(7)).Value).Value);
    }

    [Theory]
    [InlineData("States.ArrayGetItem($.a, 5)", "{\"a\":[1]}")]
    [InlineData("States.MathAdd($.a, 1)", "{\"a\":\"one\"}")]
    [InlineData("States.MathAdd(1.5, 1)", "{}")]
    [InlineData("States.ArrayLength($.a)", "{\"a\":{}}")]
    [InlineData("States.StringToJson($.s)", "{\"s\":\"{not json\"}")]
    [InlineData("States.Base64Decode('***')", "{}")]
    [InlineData("States.ArrayPartition($.a, 0)", "{\"a\":[1]}")]
    [InlineData("States.ArrayRange(1, 5000, 1)", "{}")]
    [InlineData("States.ArrayRange(1, 5, 0)", "{}")]
    [InlineData("States.JsonMerge($.a, $.a, true)", "{\"a\":{}}")]
    [InlineData("States.MathRandom(5, 1)", "{}")]
    [InlineData("States.Format($.t, 1)", "{\"t\":\"no placeholder\"}")]
    [InlineData("States.Format('{}', $.o)", "{\"o\":{\"x\":1}}")]
    [InlineData("States.Hash($.d, $.alg)", "{\"d\":\"x\",\"alg\":\"SHA-3\"}")]
    public void Evaluate_WrongArguments_FailsWithIntrinsicFailure(string call, string input)
    {
        var result = Eval(call, input);
        Assert.True(result.Failed);
        Assert.Equal(ErrorNames.IntrinsicFailure, result.Error!.Error);
    }

    [Fact]
    public void Evaluate_MissingPathArgument_FailsWithRuntimeNamingThePath()
    {
        var result = Eval("States.Format('{}', $.missing)");
        Assert.Equal(ErrorNames.Runtime, result.Error!.Error);
        Assert.Contains("$.missing", result.Error.Cause);
    }

    [Theory]
    [InlineData("States.Nope(1)")]
    [InlineData("States.Format('a {}')")]
    [InlineData("States.Format('{}', 1, 2)")]
    [InlineData("States.ArrayLength()")]
    [InlineData("States.UUID(1)")]
    [InlineData("States.Array(1,")]
    [InlineData("States.Array('unterminated)")]
    [InlineData("States.Format('bad escape \\n {}', 1)")]
    [InlineData("States.Array(1) trailing")]
    [InlineData("States.Array(nonsense)")]
    [InlineData("States.Hash('x', 'SHA-3')")]
    public void TryParse_MalformedCall_FailsWithReason(string call)
    {
        Assert.False(IntrinsicExpression.TryParse(call, out _, out var error));
        Assert.Contains("not a valid intrinsic function", error);
    }
}
