using OrderFlow.Json;
using OrderFlow.Orders.Validation;

namespace OrderFlow.Orders.Tests;

/// <summary>
/// An order that fails the schema the way an earlier one did gets the earlier order's words from JsonSchema.Net. That
/// is right only if the words are the same as JsonSchema.Net would give the order itself: checked over the proof's
/// corpus (single-field mutations of three orders), over orders with two faults at once, in both orders of arrival.
/// </summary>
public class RememberedWordingTests
{
    /// <summary>The corpus plus, for each base order, every pair of two different fields mutated (a fixed sample).</summary>
    private static List<JsonValue> Orders()
    {
        var orders = SchemaProofTests.Corpus().ToList();
        var random = new Random(7);
        var mutations = orders.OfType<JsonObject>().ToArray();
        for (var i = 0; i < 3000; i++)
        {
            // Take order-info from one mutation and contact-info from another: faults in both sections at once.
            var a = mutations[random.Next(mutations.Length)];
            var b = mutations[random.Next(mutations.Length)];
            if (a["order-info"] is { } info && b["contact-info"] is { } contact)
            {
                orders.Add(a.SetItem("contact-info", contact).SetItem("order-info", info));
            }
        }
        return orders;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Validate_OrdersFailingAlike_GetJsonSchemaNetsOwnWords(bool reversed)
    {
        var validator = new OrderValidator();
        var orders = Orders();
        if (reversed)
        {
            orders.Reverse();
        }
        var differences = new List<string>();
        var rejected = 0;
        foreach (var order in orders)
        {
            var expected = validator.ValidateWithoutMemory(order);
            var actual = validator.Validate(order);
            rejected += actual.Count > 0 ? 1 : 0;
            if (!expected.SequenceEqual(actual))
            {
                differences.Add($"{order.ToJsonString()}\n  expected: {string.Join(" | ", expected)}\n  actual:   {string.Join(" | ", actual)}");
            }
        }
        Assert.True(differences.Count == 0, string.Join("\n", differences.Take(5)));
        // The memory was used: far fewer ways of failing than rejected orders.
        Assert.InRange(validator.RememberedWordings, 1, rejected / 3);
    }

    [Fact]
    public void Validate_SameFaultOtherValues_ReusesTheWords()
    {
        var validator = new OrderValidator();
        validator.Validate(JsonValue.Parse("""{"order-info":{"OrderId":"A","item-id":"1","qty":0},"contact-info":{"name":"N","email":"not-an-email"}}"""));
        var violations = validator.Validate(JsonValue.Parse("""{"order-info":{"OrderId":"B","item-id":"2","qty":0},"contact-info":{"name":"M","email":"also@@bad"}}"""));

        Assert.Equal(1, validator.RememberedWordings);
        Assert.Equal(
            ["$.order-info.qty: must be a positive integer up to 999,999,999, as a number or a string of digits without leading zeros", "$.contact-info.email: must be a valid email address"],
            violations.Select(v => v.ToString()));
    }

    [Fact]
    public void Validate_NumbersQuotedByMessages_AreNotShared()
    {
        var validator = new OrderValidator("""{"type":"object","properties":{"n":{"minimum":5}}}""");

        var one = validator.Validate(JsonValue.Parse("""{"n":1}"""));
        var two = validator.Validate(JsonValue.Parse("""{"n":2}"""));

        Assert.Equal(2, validator.RememberedWordings);
        Assert.Contains("1", one.Single().Message, StringComparison.Ordinal);
        Assert.Contains("2", two.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_FieldWordedByItsMeaning_SharesWordsWhateverItsValue()
    {
        var validator = new OrderValidator();
        static JsonValue Priced(string price) => JsonValue.Parse(
            $$$"""{"order-info":{"OrderId":"A","item-id":"1","qty":1,"unit-price":{{{price}}}},"contact-info":{"name":"N","email":"a@b.co"}}""");

        var first = validator.Validate(Priced("-278.51"));
        var second = validator.Validate(Priced("-3"));

        Assert.Equal(1, validator.RememberedWordings);
        Assert.Equal(first, second);
        Assert.Equal("$.order-info.unit-price", first.Single().Path);
    }
}
