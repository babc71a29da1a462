using System.Text;
using OrderFlow.Json;
using OrderFlow.Local.Tables;

namespace OrderFlow.Local.Tests;

public class ItemTextsTests
{
    private static JsonObject Item(int n) => (JsonObject)JsonValue.Parse($$$"""{"OrderId":{"S":"ORD-{{{n}}}"},"note":{"S":"{{{new string('x', n % 700)}}} é \""},"qty":{"N":"{{{n}}}"}}""");

    [Fact]
    public void Add_ManyItemsPastTheFirstBuffer_EachSliceIsItsItemsText()
    {
        using var texts = new ItemTexts(capacityHint: 512);
        var items = Enumerable.Range(0, 300).Select(Item).ToList();

        var slices = items.Select(texts.Add).ToList();

        Assert.All(items.Zip(slices), pair => Assert.Equal(pair.First, ItemTexts.Read(JsonValue.Parse(pair.Second.Span))));
    }

    [Fact]
    public void Add_StringAttributes_StoredAsBareStringsOthersWhole()
    {
        using var texts = new ItemTexts(capacityHint: 0);
        var item = (JsonObject)JsonValue.Parse("""{"OrderId":{"S":"ORD-1"},"note":{"S":"é \" <\n"},"qty":{"N":"2"},"tags":{"SS":["a"]},"m":{"M":{"x":{"S":"y"}}},"odd":{"S":{"not":"a string"}}}""");

        var text = Encoding.UTF8.GetString(texts.Add(item).Span);

        Assert.Equal("""{"OrderId":"ORD-1","note":"é \" <\n","qty":{"N":"2"},"tags":{"SS":["a"]},"m":{"M":{"x":{"S":"y"}}},"odd":{"S":{"not":"a string"}}}""", text);
        Assert.Equal(item, ItemTexts.Read(JsonValue.Parse(text)));
    }

    [Fact]
    public void Read_ItemStoredWholeByAnEarlierVersion_ReadsAsItIs()
    {
        var stored = JsonValue.Parse("""{"OrderId":{"S":"A-1"},"qty":{"S":"1"}}""");

        var item = ItemTexts.Read(stored);

        Assert.Same(stored, item);
    }

    [Fact]
    public void Span_AfterDispose_Throws()
    {
        var texts = new ItemTexts(capacityHint: 0);
        var text = texts.Add(Item(1));

        texts.Dispose();

        Assert.Throws<ObjectDisposedException>(() => text.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => texts.Add(Item(2)));
    }

    [Fact]
    public void Advance_PastTheSpanHandedOut_Throws()
    {
        using var texts = new ItemTexts(capacityHint: 0);
        var length = texts.GetSpan(10).Length;

        Assert.Throws<ArgumentOutOfRangeException>(() => texts.Advance(length + 1));
    }
}
