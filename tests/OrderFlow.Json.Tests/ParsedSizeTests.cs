using System.Text;

namespace OrderFlow.Json.Tests;

/// <summary>
/// The parser sizes what it reads as it reads it (a plain string from its bytes, an object or array as the sum of its
/// parts): every size must be the one the same value, built another way, computes when first asked.
/// </summary>
public class ParsedSizeTests
{
    // The same value rebuilt member by member: its size is computed lazily, the way it was before the parser sized it.
    private static JsonValue Rebuilt(JsonValue value) => value switch
    {
        JsonObject o => JsonObject.Create(o.Members.Select(m => new KeyValuePair<string, JsonValue>(m.Key, Rebuilt(m.Value)))),
        JsonArray a => new JsonArray(a.Select(Rebuilt)),
        JsonString s => new JsonString(s.Value),
        _ => value,
    };

    private static void AssertSizedRight(JsonValue parsed)
    {
        Assert.Equal(Rebuilt(parsed).Utf8Size, parsed.Utf8Size);
        foreach (var child in Children(parsed))
        {
            AssertSizedRight(child);
        }
    }

    private static IEnumerable<JsonValue> Children(JsonValue value) => value switch
    {
        JsonObject o => o.Members.Select(m => m.Value),
        JsonArray a => a,
        _ => [],
    };

    [Theory]
    [InlineData("""{"order-info":{"OrderId":"ORD-00000001","qty":1,"unit-price":24.10},"contact-info":{"name":"Zoë","email":"z@example.com"}}""")]
    [InlineData("""{ "spaced" : [ 1 , 2.50e+3 , "x" ] ,	"tab" : { } , "empty" : [ ] }""")]
    [InlineData("""{"escaped but plain":"\u0041\u0042","escaped name \u0041":"\"quoted\"","del":"a\u007fb","raw del":"ab"}""")]
    [InlineData("""{"raw non-ASCII é":"naïve €","slash":"a\/b","control":"\u0001","line":"\u2028"}""")]
    [InlineData("""{"dup":1,"dup":"second wins","other":[[],[{}],[null,true,false]]}""")]
    [InlineData("""["", "plain", "", {"":""}]""")]
    [InlineData("\"a string alone\"")]
    public void Parse_Corpus_SizesAreTheCompactTextSizes(string json)
    {
        AssertSizedRight(JsonValue.Parse(json));
    }

    [Fact]
    public void Parse_RandomDocuments_SizesAreTheCompactTextSizes()
    {
        var random = new Random(11);
        string[] pieces = ["a", "Z", "0", " ", "~", "\\\"", "\\\\", "\\/", "\\n", "\\u0041", "\\u007f", "\u007f", "é", "€", "😀", "\\ud83d\\ude00", "\\u0000"];
        string Text() => string.Concat(Enumerable.Range(0, random.Next(0, 12)).Select(_ => pieces[random.Next(pieces.Length)]));
        string Space() => random.Next(4) == 0 ? " \n\t"[..random.Next(1, 4)] : string.Empty;
        string Value(int depth) => (depth > 3 ? random.Next(3) : random.Next(6)) switch
        {
            0 => "\"" + Text() + "\"",
            1 => random.Next(3) switch { 0 => "-12.5e-3", 1 => "0", _ => "123456789012345678901234567890" },
            2 => random.Next(3) switch { 0 => "true", 1 => "false", _ => "null" },
            3 or 4 => "{" + string.Join(",", Enumerable.Range(0, random.Next(0, 5)).Select(_ => Space() + "\"" + Text() + "\"" + Space() + ":" + Space() + Value(depth + 1))) + Space() + "}",
            _ => "[" + string.Join(",", Enumerable.Range(0, random.Next(0, 5)).Select(_ => Space() + Value(depth + 1))) + Space() + "]",
        };

        for (var i = 0; i < 2000; i++)
        {
            var json = Value(0);
            AssertSizedRight(JsonValue.Parse(json));
        }
    }

    [Fact]
    public void Parse_PlainDocumentWithSpaces_SizeIsItsCompactTextLength()
    {
        var parsed = JsonValue.Parse("""{ "order-info" : { "OrderId" : "ORD-1", "qty" : 2, "items" : [ { "a" : true } , null ] } }""");

        Assert.Equal(Encoding.UTF8.GetByteCount(parsed.ToJsonString()), parsed.Utf8Size);
        Assert.Equal("""{"order-info":{"OrderId":"ORD-1","qty":2,"items":[{"a":true},null]}}""".Length, parsed.Utf8Size);
    }

    [Theory]
    [InlineData("\"plain ASCII ~\"", true)]
    [InlineData("\"\\u0041 escaped\"", true)]
    [InlineData("\"raw DEL \u007f\"", false)]
    [InlineData("\"é\"", false)]
    [InlineData("\"quote \\\" inside\"", false)]
    public void Parse_String_PlainnessIsThatOfItsText(string json, bool plain)
    {
        var parsed = (JsonString)JsonValue.Parse(json);

        Assert.Equal(plain, parsed.IsPlainAscii);
        Assert.Equal(JsonText.IsPlainAscii(parsed.Value), parsed.IsPlainAscii);
    }
}
