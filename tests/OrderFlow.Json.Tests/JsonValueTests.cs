using OrderFlow.Json;

namespace OrderFlow.Json.Tests;

public class JsonValueTests
{
    [Theory]
    [InlineData("{\"a\":1,\"b\":[true,null,\"x\"]}")]
    [InlineData("12.50")]
    [InlineData("\"é \\\"quoted\\\" \\n\"")]
    [InlineData("[]")]
    [InlineData("\"plain printable ASCII, long enough to be scanned in vectors: 0123456789 ~!@#$%^&*()_+{}|:<>?\"")]
    [InlineData("\"a\\\\b\"")]
    [InlineData("\"tab\\there, nul \\u0000, bell \\u0007\"")]
    [InlineData("{\"\\u001f\":\"caf\u00e9 \\\"x\\\"\"}")]
    public void Parse_ThenSerialize_RoundTripsTextAndSize(string json)
    {
        var value = JsonValue.Parse(json);
        var text = value.ToJsonString();
        Assert.Equal(JsonValue.Parse(text), value);
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(text), value.Utf8Size);
    }

    [Theory]
    [InlineData("[\"ok\", \"\\ud800\"]")]
    [InlineData("{\"\\udfff x\":1}")]
    public void Parse_HalfOfASurrogatePair_IsMalformedJsonNamingIt(string json)
    {
        var error = Assert.Throws<JsonParseException>(() => JsonValue.Parse(json));

        Assert.Contains("half of a surrogate pair", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NumberLiteral_IsKeptAsWritten()
    {
        Assert.Equal("{\"price\":12.50}", JsonValue.Parse("{\"price\":12.50}").ToJsonString());
    }

    [Fact]
    public void Equals_NumbersOfSameValue_AreEqual()
    {
        Assert.Equal(JsonValue.Parse("300"), JsonValue.Parse("300.0"));
    }

    [Theory]
    [InlineData("{\"a\":1,}", 1, 8)]
    [InlineData("{\n  \"a\": tru\n}", 2, 11)]
    [InlineData("[1, 2", 1, 6)]
    public void Parse_MalformedJson_ReportsLineAndColumn(string json, int line, int column)
    {
        var ex = Assert.Throws<JsonParseException>(() => JsonValue.Parse(json));
        Assert.Equal(line, ex.Line);
        Assert.Equal(column, ex.Column);
        Assert.Contains($"line {line}, column {column}", ex.Message);
    }

    [Fact]
    public void Parse_DeeplyNestedInput_FailsCleanlyWithoutStackOverflow()
    {
        var json = new string('[', 100_000) + new string(']', 100_000);
        var ex = Assert.Throws<JsonParseException>(() => JsonValue.Parse(json));
        Assert.Contains("depth", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void SetItem_ReturnsCopy_LeavesOriginalUnchanged()
    {
        var original = (JsonObject)JsonValue.Parse("{\"a\":1}");
        var changed = original.SetItem("b", JsonValue.True);
        Assert.Equal("{\"a\":1}", original.ToJsonString());
        Assert.Equal("{\"a\":1,\"b\":true}", changed.ToJsonString());
    }

    [Theory]
    [InlineData("""{"a":[1,2.5,true,null],"é":"line\nbreak \"quoted\" <tag> 🙂"}""")]
    [InlineData("\"\"")]
    [InlineData("[]")]
    public void WriteJsonText_AnyValue_SameBytesAsToJsonString(string json)
    {
        var value = JsonValue.Parse(json);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        System.Buffers.BuffersExtensions.Write(buffer, "prefix:"u8);
        value.WriteJsonText(buffer);
        Assert.Equal("prefix:" + value.ToJsonString(), System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}

public class JsonObjectParsingTests
{
    [Fact]
    public void Parse_DuplicateNames_LastValueWinsAtFirstPosition()
    {
        Assert.Equal("{\"a\":3,\"b\":2}", JsonValue.Parse("{\"a\":1,\"b\":2,\"a\":3}").ToJsonString());
    }

    [Theory]
    [InlineData("{\"a\":1,\"\\u0061\":2}")] // the second spelled with an escape: not from the name table
    [InlineData("{\"\\u0061\":1,\"a\":2}")]
    [InlineData("{\"a-name-longer-than-the-name-table-keeps-at-48-bytes\":1,\"a-name-longer-than-the-name-table-keeps-at-48-bytes\":2}")]
    public void Parse_DuplicateNamesSpelledDifferently_LastValueWins(string json)
    {
        var value = (JsonObject)JsonValue.Parse(json);

        Assert.Equal(1, value.Count);
        Assert.Equal(JsonValue.FromNumber(2), value.ValueAt(0));
    }

    [Fact]
    public void Parse_ObjectWithManyMembers_KeepsEveryMemberAndLooksUpByName()
    {
        // Names spelled with an escape ("\u006b" is "k"), which the process-wide name table does not keep: 20,000 plain
        // names would fill it, and names past its capacity are not shared (other tests rely on sharing).
        var json = "{" + string.Join(",", Enumerable.Range(0, 20_000).Select(i => $"\"\\u006b{i}\":{i}")) + "}";
        var value = (JsonObject)JsonValue.Parse(json);
        Assert.Equal(20_000, value.Count);
        Assert.Equal(JsonValue.FromNumber(19_999), value["k19999"]);
        Assert.Null(value["k20000"]);
    }

    [Fact]
    public void Parse_RepeatedPropertyNames_ShareOneString()
    {
        var json = "[" + string.Join(",", Enumerable.Range(0, 5_000).Select(i => $"{{\"order-info\":{i}}}")) + "]";
        var array = (JsonArray)JsonValue.Parse(json);
        Assert.Same(((JsonObject)array[0]).NameAt(0), ((JsonObject)array[1]).NameAt(0));
    }
}
