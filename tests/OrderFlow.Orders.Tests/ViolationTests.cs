using OrderFlow.Orders.Validation;

namespace OrderFlow.Orders.Tests;

public class ViolationTests
{
    [Fact]
    public void ToJson_CalledTwice_SameObjectWithPathAndMessage()
    {
        var violation = new Violation("$.order-info.status", "must be one of \"placed\", \"paid\"");

        var first = violation.ToJson();

        Assert.Same(first, violation.ToJson());
        Assert.Equal("""{"path":"$.order-info.status","message":"must be one of \"placed\", \"paid\""}""", first.ToJsonString());
    }

    [Fact]
    public void Equals_OneWithItsJsonBuilt_EqualWithTheSameHash()
    {
        var built = new Violation("$.qty", "must be positive");
        _ = built.ToJson();
        var fresh = new Violation("$.qty", "must be positive");

        Assert.Equal(fresh, built);
        Assert.Equal(fresh.GetHashCode(), built.GetHashCode());
        Assert.NotEqual(new Violation("$.qty", "other"), built);
    }

    [Fact]
    public void With_ACopyWithAnotherMessage_BuildsItsOwnJson()
    {
        var original = new Violation("$.qty", "must be positive");
        _ = original.ToJson();

        var copy = original with { Message = "must be a whole number" };

        Assert.Equal(new OrderFlow.Json.JsonString("must be a whole number"), copy.ToJson()["message"]);
        Assert.Equal(new OrderFlow.Json.JsonString("must be positive"), original.ToJson()["message"]);
    }
}
