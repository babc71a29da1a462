using System.Text;
using System.Text.Json;
using OrderFlow.Json;

namespace OrderFlow.Json.Tests;

/// <summary>A string held as UTF-8 (a queue message's body) behaves in every way as the same text held as a .NET string.</summary>
public class Utf8StringTests
{
    public static TheoryData<string> Texts() =>
    [
        string.Empty,
        "plain",
        "plain printable ASCII, long enough to be scanned in vectors: 0123456789 ~!@#$%^&*()_+{}|:<>?",
        """{"error":"OrderRejected","reasons":["$.contact-info: required"],"order":{"OrderId":"A-1"}}""",
        "a\\b \"q\"",
        "tab\there, new line\n, nul \0, bell \a, form feed \f, backspace \b, unit separator \u001f, delete \u007f",
        "café, Ωμέγα, 日本語, 🚀 and a pair 𝄞",
    ];

    [Theory]
    [MemberData(nameof(Texts))]
    public void FromUtf8_AnyText_SameSizeTextAndEqualityAsTheString(string text)
    {
        var fromString = new JsonString(text);
        var fromUtf8 = JsonString.FromUtf8(Encoding.UTF8.GetBytes(text));

        Assert.Equal(fromString.Utf8Size, fromUtf8.Utf8Size);
        Assert.Equal(fromString.Utf8ByteCount, fromUtf8.Utf8ByteCount);
        Assert.Equal(fromString.ToJsonString(), fromUtf8.ToJsonString());
        Assert.Equal(fromString, fromUtf8);
        Assert.Equal(fromString.GetHashCode(), fromUtf8.GetHashCode());
        Assert.Equal(text, fromUtf8.Value);
    }

    [Theory]
    [MemberData(nameof(Texts))]
    [InlineData("a long plain line of printable ASCII, longer than the sixty-four characters of the short path")]
    [InlineData("ends with DEL \u007f")]
    public void IsPlainAscii_Utf8OfAnyText_SameAnswerAsForTheString(string text)
    {
        Assert.Equal(JsonText.IsPlainAscii(text), JsonText.IsPlainAscii(Encoding.UTF8.GetBytes(text)));
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void WriteTo_HeldAsUtf8_WritesWhatTheStringWrites(string text)
    {
        Assert.Equal(Written(new JsonString(text)), Written(JsonString.FromUtf8(Encoding.UTF8.GetBytes(text))));
    }

    [Fact]
    public void FromUtf8_InsideAnObject_SizedAndWrittenAsTheString()
    {
        const string body = "{\"order\":{\"OrderId\":\"x\\\"y\"},\"note\":\"é\\n\"}";
        var withString = new JsonObjectBuilder(2).Set("Id", "0").Set("MessageBody", body).Build();
        var withUtf8 = new JsonObjectBuilder(2).Set("Id", "0").Set("MessageBody", JsonString.FromUtf8(Encoding.UTF8.GetBytes(body))).Build();

        Assert.Equal(withString.ToJsonString(), withUtf8.ToJsonString());
        Assert.Equal(withString.Utf8Size, withUtf8.Utf8Size);
    }

    [Fact]
    public void TryGetUtf8_BeforeAndAfterValueIsRead_BytesUntilTheStringIsMade()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"a\":1}");
        var value = JsonString.FromUtf8(bytes);

        Assert.True(value.TryGetUtf8(out var held));
        Assert.Equal(bytes, held.ToArray());
        Assert.Equal("{\"a\":1}", value.Value);
        Assert.False(value.TryGetUtf8(out _));
        Assert.False(new JsonString("text").TryGetUtf8(out _));
    }

    [Fact]
    public void FromUtf8_NotUtf8_Throws()
    {
        Assert.Throws<ArgumentException>(() => JsonString.FromUtf8([(byte)'a', 0xC3]));
    }

    [Fact]
    public void ToJsonUtf8_AnyValue_IsTheUtf8OfToJsonString()
    {
        var value = JsonValue.Parse("{\"b\":[1,\"é\\\"\"],\"a\":null}");

        Assert.Equal(Encoding.UTF8.GetBytes(value.ToJsonString()), value.ToJsonUtf8());
    }

    private static string Written(JsonValue value)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            value.WriteTo(writer);
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
