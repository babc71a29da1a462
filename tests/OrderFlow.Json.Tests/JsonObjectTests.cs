using OrderFlow.Json;

namespace OrderFlow.Json.Tests;

public sealed class JsonObjectTests
{
    [Fact]
    public void Of_OneMember_BehavesAsAnyObject()
    {
        // Built directly (the DynamoDB {"S": "x"} wrappers), it must answer everything as a parsed one does.
        var single = JsonObject.Of("S", new JsonString("x"));
        var parsed = (JsonObject)JsonValue.Parse("""{"S":"x"}""");

        Assert.Equal(1, single.Count);
        Assert.Equal("S", single.NameAt(0));
        Assert.Equal(new JsonString("x"), single.ValueAt(0));
        Assert.Throws<IndexOutOfRangeException>(() => single.NameAt(1));
        Assert.Throws<IndexOutOfRangeException>(() => single.ValueAt(1));
        Assert.Equal(new JsonString("x"), single[new string('S', 1)]); // found by characters, not only by reference
        Assert.Null(single["N"]);
        Assert.True(single.Equals(parsed));
        Assert.Equal(parsed.GetHashCode(), single.GetHashCode());
        Assert.Equal("""{"S":"x"}""", single.ToJsonString());
        Assert.Equal(9, single.Utf8Size);
        Assert.Equal(["S"], single.Names);
        Assert.Equal("""{"S":"x","N":"1"}""", single.SetItem("N", new JsonString("1")).ToJsonString());
        Assert.Equal("""{"S":"y"}""", single.SetItem("S", new JsonString("y")).ToJsonString());
    }

    [Fact]
    public void Indexer_ManyMembers_FindsEveryNameAndNoOther()
    {
        var members = Enumerable.Range(0, 40).Select(i => new KeyValuePair<string, JsonValue>($"k{i}", JsonNumber.FromInt64(i))).ToArray();
        var big = JsonObject.Create(members);

        Assert.All(Enumerable.Range(0, 40), i => Assert.Equal(JsonNumber.FromInt64(i), big[$"k{i}"]));
        Assert.Null(big["k40"]);
        Assert.Equal(40, big.Count);
    }
}
