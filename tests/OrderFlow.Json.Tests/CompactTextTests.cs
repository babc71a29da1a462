using System.Buffers;
using System.Text;

namespace OrderFlow.Json.Tests;

/// <summary>The direct compact writer gives exactly the bytes <see cref="System.Text.Json.Utf8JsonWriter"/> gives.</summary>
public class CompactTextTests
{
    private static (string Direct, string Writer) Both(JsonValue value)
    {
        var direct = new ArrayBufferWriter<byte>();
        value.WriteJsonText(direct);
        var writer = new ArrayBufferWriter<byte>();
        value.WriteJsonTextWithWriter(writer);
        return (Encoding.UTF8.GetString(direct.WrittenSpan), Encoding.UTF8.GetString(writer.WrittenSpan));
    }

    [Theory]
    [InlineData("""{"order-info":{"OrderId":"ORD-00000001","qty":1,"unit-price":24.10,"items":[{"a":true},{"b":false},null]},"contact-info":{}}""")]
    [InlineData("""["plain", "quote \" and backslash \\", "tab\t newline\n", "\u0000\u001f\u007f", "<script>&+'", "Zoë Ünal", "😀", "\u2028\u2029"]""")]
    [InlineData("""{"name with \"quotes\"":1, "é":2, "":3, "<>":[[],{}], "n":-1.5e+10, "big":123456789012345678901234567890}""")]
    [InlineData("""{"a-name-of-23-chars-\"x":"a value of exactly 24 ch", "a-plain-name-longer-than-24-chars":"a value longer than 24 chars, é", "name-of-24-chars-ending\\":"quote at 25 chars .....\""}""")]
    [InlineData("\"just a string\"")]
    [InlineData("12.50")]
    [InlineData("true")]
    [InlineData("null")]
    public void WriteJsonText_Corpus_SameBytesAsUtf8JsonWriter(string json)
    {
        var (direct, writer) = Both(JsonValue.Parse(json));

        Assert.Equal(writer, direct);
    }

    [Fact]
    public void WriteJsonText_RandomStrings_SameBytesAsUtf8JsonWriter()
    {
        var random = new Random(5);
        const string alphabet = "abcXYZ019 ~!\"\\/<>&+'\t\n\r\u0000\u0001\u001f\u007f\u0080éßü€\u2028😀";
        var elements = new List<TextElementString>();
        for (var i = 0; i < 2000; i++)
        {
            var text = new StringBuilder();
            // Across the eight-character steps and the step limit (64).
            var length = random.Next(0, 80);
            for (var j = 0; j < length; j++)
            {
                text.Append(alphabet[random.Next(alphabet.Length)]);
            }
            elements.Add(new TextElementString(text.ToString()));
        }
        var value = new JsonArray([.. elements.Select(e => (JsonValue)JsonObject.Of(e.Text, new JsonString(e.Text)))]);

        var (direct, writer) = Both(value);

        Assert.Equal(writer, direct);
    }

    [Fact]
    public void WriteJsonText_ValuesLongerThanTheFirstSpan_SameBytesAsUtf8JsonWriter()
    {
        // Longer than the span the writer first asks for, plain and escaped, at the top level and inside an object.
        var plain = new string('a', 100_000);
        var escaped = string.Concat(Enumerable.Repeat("é\"\n", 30_000));
        JsonValue[] values = [new JsonString(plain), new JsonString(escaped), JsonObject.Of(plain, new JsonArray([new JsonString(escaped), JsonNumber.FromInt64(1)]))];

        foreach (var value in values)
        {
            var (direct, writer) = Both(value);

            Assert.Equal(writer, direct);
        }
    }

    [Fact]
    public void WriteCanonicalJsonText_NumbersLongerThanTheirLiterals_RoundTripForm()
    {
        // "1e2" is three bytes as written and "100" as a round-trip double; "1e-7" becomes "1E-07": the canonical text is
        // longer than the size the value reports, so the writer must ask for more room as it goes.
        var value = new JsonArray([.. Enumerable.Repeat(JsonValue.Parse("1e-7"), 5_000)]);
        var buffer = new ArrayBufferWriter<byte>();

        value.WriteCanonicalJsonText(buffer);

        Assert.Equal("[" + string.Join(",", Enumerable.Repeat((1e-7).ToString("R", System.Globalization.CultureInfo.InvariantCulture), 5_000)) + "]", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Theory]
    [InlineData("""{"a":{"S":"x"},"b":{"N":"1"},"c":{"S":{"x":1}},"d":{"S":"y","N":"2"},"e":{"s":"z"},"f":"bare","g":{"S":"é\n\""}}""",
        """{"a":"x","b":{"N":"1"},"c":{"S":{"x":1}},"d":{"S":"y","N":"2"},"e":{"s":"z"},"f":"bare","g":"é\n\""}""")]
    [InlineData("""{"deep":{"M":{"x":{"S":"y"}}},"list":[{"S":"z"}]}""", """{"deep":{"M":{"x":{"S":"y"}}},"list":[{"S":"z"}]}""")]
    [InlineData("{}", "{}")]
    public void WriteJsonTextUnwrapping_WrappedStrings_WrittenBareOnlyAtTheTop(string json, string expected)
    {
        var buffer = new ArrayBufferWriter<byte>();

        ((JsonObject)JsonValue.Parse(json)).WriteJsonTextUnwrapping(buffer, "S");

        Assert.Equal(expected, Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private sealed record TextElementString(string Text);
}
