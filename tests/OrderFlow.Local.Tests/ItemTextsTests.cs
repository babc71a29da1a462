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

        Assert.All(items.Zip(slices), pair => Assert.Equal(pair.First.ToJsonString(), Encoding.UTF8.GetString(pair.Second.Span)));
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
