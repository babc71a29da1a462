using OrderFlow.Cli.Commands;
using OrderFlow.Json;

namespace OrderFlow.Cli.Tests;

/// <summary><c>dynamodb scan</c> written page by page: the very text the whole object indented would be.</summary>
public sealed class ScanOutputTests
{
    private static JsonValue Item(string id) => JsonValue.Parse("""{"OrderId":{"S":"ID_"},"qty":{"N":"2"},"tags":{"L":[{"S":"a"},{"S":"b"}]},"none":{"M":{}}}""".Replace("ID_", id, StringComparison.Ordinal));

    private static string Written(params JsonArray[] pages)
    {
        using var text = new StringWriter();
        var output = new ScanOutput(text);
        foreach (var page in pages)
        {
            output.Write(page);
        }
        output.End();
        return text.ToString();
    }

    private static string Whole(params JsonValue[] items) =>
        new JsonObjectBuilder(3).Set("Items", new JsonArray(items)).Set("Count", items.Length).Set("ScannedCount", items.Length).Build().ToIndentedJsonString() + "\n";

    [Fact]
    public void Write_ItemsOverSeveralPages_TheTextOfTheWholeObjectIndented()
    {
        Assert.Equal(Whole(Item("a"), Item("b"), Item("c")), Written(new JsonArray([Item("a"), Item("b")]), JsonArray.Empty, new JsonArray([Item("c")])));
    }

    [Fact]
    public void Write_NoItems_TheTextOfTheEmptyObjectIndented()
    {
        Assert.Equal(Whole(), Written(JsonArray.Empty));
    }
}
