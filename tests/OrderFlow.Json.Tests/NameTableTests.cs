using System.Text;

namespace OrderFlow.Json.Tests;

public class NameTableTests
{
    [Fact]
    public void Get_NamesAcrossTheEightByteSteps_EachItsOwnSharedString()
    {
        // Names that share their first eight bytes, differ only by a trailing zero byte, or only in their last byte.
        var names = new List<string> { "nt-x", "nt-x\0", "nt-x\0\0", "nt-abcd", "nt-abcde", "nt-abcdef", "nt-abcdefg", "nt-abcdefgh", "nt-abcdefgi", "nt-é€😀" };
        names.AddRange(Enumerable.Range(0, 45).Select(n => "nt-" + new string((char)('a' + (n % 26)), n)));
        var first = names.Select(n => NameTable.Get(Encoding.UTF8.GetBytes(n), out _)).ToList();
        var second = names.Select(n => NameTable.Get(Encoding.UTF8.GetBytes(n), out _)).ToList();

        Assert.Equal(names, first);
        Assert.All(first.Zip(second), pair => Assert.Same(pair.First, pair.Second));
    }

    [Fact]
    public void Parse_NameOfALiteral_TheLiteralItself()
    {
        var order = (JsonObject)JsonValue.Parse("""{"contact-email": "a@b.example"}""");

        Assert.Same("contact-email", order.NameAt(0));
    }
}
