using System.Text;

namespace OrderFlow.Json.Tests;

/// <summary>
/// The parser's fast path for plain documents builds exactly the tree the reader's path builds (names, strings, number
/// literals, every node's size), and gives up on anything the reader would refuse or word differently.
/// </summary>
public class PlainParseTests
{
    private static readonly string[] Seeds =
    [
        """{"order-info":{"OrderId":"ORD-00000001","item-id":"SKU-10455","item-desc":"Licensed Soft Tuna","qty":1,"unit-price":46.27,"currency":"AUD","order-date":"2025-12-20T19:32:11Z","status":"paid"},"contact-info":{"name":"Elvera Metz","email":"elvera.metz255@example.net","country":"AU"}}""",
        """{"orders":[{"a":[1,2,[3,{}]],"b":[],"c":{}},{"d":null,"e":true,"f":false}]}""",
        """  [ 0 , -0 , 1.5e10 , 1E-2 , -12.0 , 3e+7 , 0.001 , 123456789012345678901234567890 ]  """,
        "\t{\"é\":\"naïve café ✓\", \"n\" : -1, \"del\":\"a\u007fb\"}\r",
        "{\"a\":1,\"b\":2,\"a\":3}",
        "\"just a string\"",
        "42",
        "null",
        "{\"" + new string('n', 60) + "\":\"a name longer than the name table takes\"}",
        "{\"a\":{\"b\":{\"c\":{\"d\":[[[[\"deep\"]]]]}}}}",
    ];

    private static readonly string[] Pieces = ["1", "-2.5e3", "\"s\"", "[]", "{}", "null", " ", ",", "\"a\":1,"];

    private const string Alphabet = "{}[]\":,-+.eE0123456789 \ttrufalsn\\xé\u0001\u007f";

    [Fact]
    public void TryParsePlain_PlainDocuments_SameTreeAsTheReader()
    {
        foreach (var seed in Seeds)
        {
            var bytes = Encoding.UTF8.GetBytes(seed);
            var plain = JsonParser.TryParsePlain(bytes);
            Assert.NotNull(plain);
            AssertSame(JsonParser.ParseWithReader(bytes), plain!, "$");
        }
    }

    [Theory]
    [MemberData(nameof(Mutations.NotPlain), MemberType = typeof(Mutations))]
    public void TryParsePlain_EscapesOrFaults_GivesUp(string text)
    {
        Assert.Null(JsonParser.TryParsePlain(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void TryParsePlain_NotUtf8_GivesUp()
    {
        Assert.Null(JsonParser.TryParsePlain([(byte)'"', 0xC3, 0x28, (byte)'"']));
        Assert.Throws<JsonParseException>(() => JsonParser.Parse([(byte)'"', 0xC3, 0x28, (byte)'"']));
    }

    [Fact]
    public void TryParsePlain_NestedPast64Levels_LeftToTheReader()
    {
        Assert.NotNull(JsonParser.TryParsePlain(Encoding.UTF8.GetBytes(new string('[', 64) + new string(']', 64))));
        var deep = Encoding.UTF8.GetBytes(new string('[', 65) + new string(']', 65));
        Assert.Null(JsonParser.TryParsePlain(deep));
        Assert.Equal(JsonKind.Array, JsonParser.Parse(deep).Kind);
    }

    [Fact]
    public void TryParsePlain_MutatedDocuments_SameAsTheReaderOrGivesUp()
    {
        var parsed = 0;
        foreach (var text in Mutations.Of(Seeds, Alphabet, Pieces))
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            var plain = JsonParser.TryParsePlain(bytes);
            JsonValue? read;
            try
            {
                read = JsonParser.ParseWithReader(bytes);
            }
            catch (JsonParseException)
            {
                read = null;
            }
            if (plain is not null)
            {
                Assert.True(read is not null, $"took a document the reader refuses: {text}");
                AssertSame(read!, plain, text);
                parsed++;
            }
            else if (read is not null && !text.Contains('\\', StringComparison.Ordinal) && !text.Contains('\u0001', StringComparison.Ordinal))
            {
                Assert.Fail($"gave up on a plain document the reader takes: {text}");
            }
        }
        Assert.True(parsed > 1000, $"only {parsed} mutated documents were well-formed");
    }

    // Same tree: kinds, names (the very string when the reader's came from the name table), values, sizes.
    private static void AssertSame(JsonValue expected, JsonValue actual, string where)
    {
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.True(expected.Utf8Size == actual.Utf8Size, $"size at {where}");
        switch (expected)
        {
            case JsonObject o:
                var p = (JsonObject)actual;
                Assert.Equal(o.Count, p.Count);
                for (var i = 0; i < o.Count; i++)
                {
                    Assert.Equal(o.NameAt(i), p.NameAt(i));
                    Assert.True(string.IsInterned(o.NameAt(i)) is null || ReferenceEquals(o.NameAt(i), p.NameAt(i)), $"name {o.NameAt(i)} at {where}");
                    AssertSame(o.ValueAt(i), p.ValueAt(i), $"{where}.{o.NameAt(i)}");
                }
                break;
            case JsonArray a:
                var b = (JsonArray)actual;
                Assert.Equal(a.Count, b.Count);
                for (var i = 0; i < a.Count; i++)
                {
                    AssertSame(a[i], b[i], $"{where}[{i}]");
                }
                break;
            case JsonString s:
                Assert.Equal(s.Value, ((JsonString)actual).Value);
                Assert.Equal(s.IsPlainAscii, ((JsonString)actual).IsPlainAscii);
                break;
            case JsonNumber n:
                Assert.Equal(n.Literal, ((JsonNumber)actual).Literal);
                break;
            default:
                Assert.Same(expected, actual); // true, false, null are shared
                break;
        }
        Assert.Equal(expected.ToJsonString(), actual.ToJsonString());
    }
}
