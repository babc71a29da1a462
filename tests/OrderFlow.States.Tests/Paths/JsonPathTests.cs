using OrderFlow.Json;
using OrderFlow.States.Paths;
using static OrderFlow.States.Tests.Support.Engine;

namespace OrderFlow.States.Tests.Paths;

public class JsonPathTests
{
    // The store document of the Jayway JSONPath README, which Step Functions' path syntax follows.
    private const string Store = """
        {"store":{"book":[
          {"category":"reference","author":"Nigel Rees","title":"Sayings of the Century","price":8.95},
          {"category":"fiction","author":"Evelyn Waugh","title":"Sword of Honour","price":12.99},
          {"category":"fiction","author":"Herman Melville","title":"Moby Dick","isbn":"0-553-21311-3","price":8.99},
          {"category":"fiction","author":"J. R. R. Tolkien","title":"The Lord of the Rings","isbn":"0-395-19395-8","price":22.99}],
          "bicycle":{"color":"red","price":19.95}},
         "order-info":{"OrderId":"1"}, "weird key":{"a.b":3}}
        """;

    [Theory]
    [InlineData("$", null)]
    [InlineData("$.store.bicycle.color", "\"red\"")]
    [InlineData("$.store.book[0].title", "\"Sayings of the Century\"")]
    [InlineData("$.store.book[-1].author", "\"J. R. R. Tolkien\"")]
    [InlineData("$['store']['bicycle']['price']", "19.95")]
    [InlineData("$.order-info.OrderId", "\"1\"")]
    [InlineData("$['weird key']['a.b']", "3")]
    [InlineData("$.store.book[*].author", "[\"Nigel Rees\",\"Evelyn Waugh\",\"Herman Melville\",\"J. R. R. Tolkien\"]")]
    [InlineData("$..author", "[\"Nigel Rees\",\"Evelyn Waugh\",\"Herman Melville\",\"J. R. R. Tolkien\"]")]
    [InlineData("$.store.book[0,1].price", "[8.95,12.99]")]
    [InlineData("$.store.book[:2].price", "[8.95,12.99]")]
    [InlineData("$.store.book[2:].price", "[8.99,22.99]")]
    [InlineData("$.store.book[-2:].price", "[8.99,22.99]")]
    [InlineData("$.store.book[?(@.isbn)].title", "[\"Moby Dick\",\"The Lord of the Rings\"]")]
    [InlineData("$.store.book[?(@.price < 10)].price", "[8.95,8.99]")]
    [InlineData("$.store.book[?(@.category == 'fiction' && @.price > 20)].title", "[\"The Lord of the Rings\"]")]
    [InlineData("$.store.book[?(@.category == 'reference' || @.price >= 22.99)].price", "[8.95,22.99]")]
    [InlineData("$.store.book[?(@.author != 'Nigel Rees')].price", "[12.99,8.99,22.99]")]
    [InlineData("$.store.nothing[*]", "[]")]
    public void TryEvaluate_JaywayExamples_SelectsExpectedNodes(string path, string? expected)
    {
        var input = J(Store);
        Assert.True(JsonPath.Parse(path).TryEvaluate(input, out var value));
        Assert.Equal(expected is null ? input : J(expected), value);
    }

    [Theory]
    [InlineData("$.store.missing")]
    [InlineData("$.store.book[10]")]
    [InlineData("$.store.bicycle.color.deeper")]
    public void TryEvaluate_ReferencePathToMissingNode_ReturnsFalse(string path)
    {
        Assert.False(JsonPath.Parse(path).TryEvaluate(J(Store), out _));
    }

    [Theory]
    [InlineData("$.a.b", true)]
    [InlineData("$['a'][0]", true)]
    [InlineData("$.a[*]", false)]
    [InlineData("$..a", false)]
    [InlineData("$.a[0:1]", false)]
    [InlineData("$.a[?(@.x)]", false)]
    public void IsReferencePath_ByShape_IsExpected(string path, bool reference)
    {
        Assert.Equal(reference, JsonPath.Parse(path).IsReferencePath);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a.b")]
    [InlineData("$.")]
    [InlineData("$.a[")]
    [InlineData("$.a[x]")]
    [InlineData("$.a['unterminated]")]
    [InlineData("$.a[?(@.x ==)]")]
    [InlineData("$.a[::0]")]
    public void TryParse_MalformedPath_FailsWithReason(string path)
    {
        Assert.False(JsonPath.TryParse(path, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Theory]
    [InlineData("$$.Execution.Id", PathRootKind.Context, null)]
    [InlineData("$orderCount", PathRootKind.Variable, "orderCount")]
    [InlineData("$order.items[0]", PathRootKind.Variable, "order")]
    [InlineData("$.x", PathRootKind.Input, null)]
    public void Parse_Roots_AreRecognised(string path, PathRootKind root, string? variable)
    {
        var parsed = JsonPath.Parse(path);
        Assert.Equal(root, parsed.Root);
        Assert.Equal(variable, parsed.VariableName);
    }

    [Theory]
    [InlineData("$.a.b", "{\"x\":1}", "{\"x\":1,\"a\":{\"b\":\"R\"}}")]
    [InlineData("$.x", "{\"x\":1}", "{\"x\":\"R\"}")]
    [InlineData("$.list[1]", "{\"list\":[1,2,3]}", "{\"list\":[1,\"R\",3]}")]
    [InlineData("$.master.detail", "{\"master\":{\"detail\":[1,2,3],\"other\":true}}", "{\"master\":{\"detail\":\"R\",\"other\":true}}")]
    public void ResultPathWriter_Apply_MergesIntoCopyCreatingMissingNodes(string path, string input, string expected)
    {
        var source = J(input);
        Assert.True(ResultPathWriter.TryApply(JsonPath.Parse(path), source, new JsonString("R"), out var output, out _));
        Assert.Equal(J(expected), output);
        Assert.Equal(J(input), source);
    }

    [Theory]
    [InlineData("$.x.y", "{\"x\":\"a string\"}")]
    [InlineData("$.list[5]", "{\"list\":[1]}")]
    [InlineData("$.a", "[1,2]")]
    public void ResultPathWriter_Apply_ImpossibleTarget_Fails(string path, string input)
    {
        Assert.False(ResultPathWriter.TryApply(JsonPath.Parse(path), J(input), JsonValue.True, out _, out var error));
        Assert.Contains(path, error);
    }
}
