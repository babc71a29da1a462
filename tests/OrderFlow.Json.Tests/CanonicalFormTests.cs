using System.Buffers;
using System.Text;

namespace OrderFlow.Json.Tests;

/// <summary>A canonical form that reads the decimal strings of named members as numbers, and nothing else.</summary>
public class CanonicalFormTests
{
    private static readonly CanonicalForm Quantities = new(["qty", "unit-price"]);

    private static string Canonical(string json, CanonicalForm form)
    {
        var buffer = new ArrayBufferWriter<byte>();
        JsonValue.Parse(json).WriteCanonicalJsonText(buffer, form);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Theory]
    [InlineData("\"3\"", "3")]
    [InlineData("\"007\"", "7")]
    [InlineData("\"12.50\"", "12.5")]
    [InlineData("\"0.99\"", "0.99")]
    [InlineData("\"-3\"", "-3")]
    [InlineData("\"1e2\"", "100")]
    [InlineData("\"1.5E-1\"", "0.15")]
    [InlineData("\"123456789012345678901234567890\"", "1.2345678901234568E+29")]
    [InlineData("\" 3\"", "\" 3\"")]
    [InlineData("\"3 \"", "\"3 \"")]
    [InlineData("\"+3\"", "\"+3\"")]
    [InlineData("\".5\"", "\".5\"")]
    [InlineData("\"5.\"", "\"5.\"")]
    [InlineData("\"1e\"", "\"1e\"")]
    [InlineData("\"0x10\"", "\"0x10\"")]
    [InlineData("\"NaN\"", "\"NaN\"")]
    [InlineData("\"Infinity\"", "\"Infinity\"")]
    [InlineData("\"1e400\"", "\"1e400\"")]
    [InlineData("\"\"", "\"\"")]
    [InlineData("\"two\"", "\"two\"")]
    [InlineData("3", "3")]
    [InlineData("12.50", "12.5")]
    [InlineData("null", "null")]
    public void WriteCanonicalJsonText_NamedMemberValue_DecimalStringsWrittenAsTheNumberTheyHold(string value, string expected)
    {
        Assert.Equal("{\"qty\":" + expected + "}", Canonical("{\"qty\":" + value + "}", Quantities));
    }

    [Fact]
    public void WriteCanonicalJsonText_StringAndNumber_WriteAlikeAtEveryDepthAndInArrays()
    {
        var strings = """{"order-info":{"qty":"2","unit-price":"1.50","items":[{"qty":"1","unit-price":"0.990"}]}}""";
        var numbers = """{"order-info":{"unit-price":1.5,"items":[{"unit-price":0.99,"qty":1}],"qty":2}}""";

        Assert.Equal(Canonical(numbers, Quantities), Canonical(strings, Quantities));
        Assert.NotEqual(Canonical(numbers, CanonicalForm.Plain), Canonical(strings, CanonicalForm.Plain));
    }

    [Fact]
    public void WriteCanonicalJsonText_OtherMembersAndArrayElements_KeepTheirStrings()
    {
        Assert.Equal("""{"note":"3","qty":["3"],"zip":"007"}""", Canonical("""{"zip":"007","note":"3","qty":["3"]}""", Quantities));
    }

    [Fact]
    public void WriteCanonicalJsonText_PlainForm_SameBytesAsTheFormlessOverload()
    {
        var value = JsonValue.Parse("""{"b":"2","a":[1.50,"x"],"qty":"3"}""");
        var formless = new ArrayBufferWriter<byte>();
        value.WriteCanonicalJsonText(formless);

        Assert.Equal(Encoding.UTF8.GetString(formless.WrittenSpan), Canonical(value.ToJsonString(), CanonicalForm.Plain));
        Assert.Equal("""{"a":[1.5,"x"],"b":"2","qty":"3"}""", Encoding.UTF8.GetString(formless.WrittenSpan));
    }

    [Fact]
    public void NumericStrings_RepeatedNames_KeptOnce()
    {
        Assert.Equal(["qty"], new CanonicalForm(["qty", "qty"]).NumericStrings);
    }
}
