using System.Text;
using System.Text.Json;

namespace OrderFlow.Json.Tests;

/// <summary>The file check's fast look at a line agrees with <see cref="Utf8JsonReader"/>: it never passes a line the reader refuses.</summary>
public class JsonLineScanTests
{
    private static readonly string[] Seeds =
    [
        """{"order-info":{"OrderId":"ORD-00000001","item-id":"SKU-10455","item-desc":"Licensed Soft Tuna","qty":1,"unit-price":46.27,"currency":"AUD","order-date":"2025-12-20T19:32:11Z","status":"paid"},"contact-info":{"name":"Elvera Metz","email":"elvera.metz255@example.net","country":"AU"}}""",
        """{"orders":[{"a":[1,2,[3,{}]],"b":[],"c":{}},{"d":null,"e":true,"f":false}]}""",
        """  [ 0 , -0 , 1.5e10 , 1E-2 , -12.0 , 3e+7 , 0.001 , 123456789012345678901234567890 ]  """,
        "\t{\"é\":\"naïve café ✓\", \"n\" : -1}\r",
        "\"just a string\"",
        "42",
        "null",
        "{\"a\":{\"b\":{\"c\":{\"d\":[[[[\"deep\"]]]]}}}}",
    ];

    private static readonly string[] Pieces = ["1", "-2.5e3", "\"s\"", "[]", "{}", "null", " ", ","];

    private const string Alphabet = "{}[]\":,-+.eE0123456789 \ttrufalsn\\x\u0001";

    [Fact]
    public void IsPlainValid_WellFormedLinesWithoutEscapes_True()
    {
        foreach (var seed in Seeds)
        {
            Assert.True(JsonLineScan.IsPlainValid(Encoding.UTF8.GetBytes(seed)), seed);
        }
    }

    [Theory]
    [MemberData(nameof(Mutations.NotPlain), MemberType = typeof(Mutations))]
    public void IsPlainValid_AnythingElse_False(string line)
    {
        Assert.False(JsonLineScan.IsPlainValid(Encoding.UTF8.GetBytes(line)));
    }

    [Fact]
    public void IsPlainValid_NestedPast64Levels_LeftToTheReader()
    {
        Assert.True(JsonLineScan.IsPlainValid(Encoding.UTF8.GetBytes(new string('[', 64) + new string(']', 64))));
        Assert.False(JsonLineScan.IsPlainValid(Encoding.UTF8.GetBytes(new string('[', 65) + new string(']', 65))));
    }

    [Fact]
    public void IsPlainValid_MutatedLines_SameAsTheReaderWhenNoEscape()
    {
        var passed = 0;
        foreach (var line in Mutations.Of(Seeds, Alphabet, Pieces))
        {
            var bytes = Encoding.UTF8.GetBytes(line);
            var fast = JsonLineScan.IsPlainValid(bytes);
            var reader = ReaderAccepts(bytes);
            if (fast)
            {
                Assert.True(reader, $"passed a line the reader refuses: {line}");
                passed++;
            }
            else if (!line.Contains('\\', StringComparison.Ordinal))
            {
                Assert.False(reader, $"refused a plain line the reader takes: {line}");
            }
        }
        Assert.True(passed > 1000, $"only {passed} mutated lines were well-formed");
    }

    // What the check's slow path asks of a line: one JSON value, read to its end.
    private static bool ReaderAccepts(byte[] line)
    {
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 1000 });
        try
        {
            while (reader.Read())
            {
            }
            return reader.BytesConsumed > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
