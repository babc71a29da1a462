using System.Text;

namespace OrderFlow.Json.Tests;

/// <summary>The eight-characters-at-a-time check and copy agree with the character-by-character rule at every length and position.</summary>
public class PlainTextTests
{
    // Around the step (8), its multiples, the step limit (64) and past it; the characters just outside the plain range,
    // the two excluded inside it, and characters whose low byte alone would look plain ('Ģ' is U+0122: low byte '"').
    private static readonly int[] Lengths = [0, 1, 7, 8, 9, 15, 16, 17, 24, 25, 63, 64, 65, 80];
    private static readonly char[] NotPlain = ['"', '\\', '\u001f', '\u007f', '\u0000', 'é', '\u0100', '\u0122', '\u4141', '\ud83d'];

    private const string PlainAlphabet = " !#$%&'()*+,-./09:;<=>?@AZ[]^_`az{|}~";

    private static string Plain(int length) => string.Concat(Enumerable.Range(0, length).Select(i => PlainAlphabet[i * 7 % PlainAlphabet.Length]));

    [Fact]
    public void TryCopy_PlainTextOfEveryLength_CopiesEveryCharacterAsOneByte()
    {
        foreach (var length in Lengths)
        {
            var text = Plain(length) + " ~";
            var destination = new byte[text.Length + 3];

            Assert.True(PlainText.TryCopy(text, destination));
            Assert.True(PlainText.IsPlain(text));
            Assert.Equal(Encoding.ASCII.GetBytes(text), destination[..text.Length]);
            Assert.All(destination[text.Length..], b => Assert.Equal(0, b));
        }
    }

    [Fact]
    public void IsPlainAndTryCopy_OneCharacterNotPlainAtAnyPosition_False()
    {
        foreach (var length in Lengths.Where(l => l > 0))
        {
            for (var position = 0; position < length; position++)
            {
                foreach (var c in NotPlain)
                {
                    var chars = Plain(length).ToCharArray();
                    chars[position] = c;
                    var text = new string(chars);

                    Assert.False(PlainText.IsPlain(text), $"length {length}, U+{(int)c:X4} at {position}");
                    Assert.False(PlainText.TryCopy(text, new byte[length]), $"length {length}, U+{(int)c:X4} at {position}");
                    Assert.False(JsonText.IsPlainAscii(text));
                }
            }
        }
    }

    [Fact]
    public void TryCopy_DestinationShorterThanText_Throws()
    {
        Assert.Throws<ArgumentException>(() => PlainText.TryCopy("ORD-00000001", new byte[11]));
    }

    [Fact]
    public void IsPlainUnescapedUtf8_OneByteAtOrBeyondDelAtAnyPosition_False()
    {
        byte[] notPlain = [0x7F, 0x80, 0xC3, 0xFE, 0xFF];
        for (var length = 0; length <= 80; length++)
        {
            var bytes = Enumerable.Range(0, length).Select(i => (byte)(' ' + 1 + (i % 94))).ToArray(); // '!'..'~' (0x7E)
            Assert.True(PlainText.IsPlainUnescapedUtf8(bytes), $"plain, length {length}");
            for (var at = 0; at < length; at++)
            {
                foreach (var b in notPlain)
                {
                    var copy = (byte[])bytes.Clone();
                    copy[at] = b;
                    Assert.False(PlainText.IsPlainUnescapedUtf8(copy), $"0x{b:X2} at {at} of {length}");
                }
            }
        }
    }

    [Fact]
    public void IsPlainUnescapedUtf8_BytesJustBelowDelNextToEachOther_True()
    {
        // 0x7E next to 0x7E: adding one to each must not carry into its neighbour.
        Assert.True(PlainText.IsPlainUnescapedUtf8(Enumerable.Repeat((byte)0x7E, 17).ToArray()));
    }
}
