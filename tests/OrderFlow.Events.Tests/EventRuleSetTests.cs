using OrderFlow.Events.Patterns;
using OrderFlow.Events.Rules;
using OrderFlow.Json;

namespace OrderFlow.Events.Tests;

public class EventRuleSetTests
{
    [Fact]
    public void Match_ManyRules_ReturnsExactlyTheMatchingOnesInOrder()
    {
        var rules = new EventRuleSet<string>();
        for (var i = 0; i < 1000; i++)
        {
            rules.Add($"source-{i}", EventPattern.Parse($"{{\"source\":[\"app.{i}\"]}}"));
        }
        rules.Add("any-order-created", EventPattern.Parse("""{"detail-type":[{"prefix":"Order"}]}"""));
        rules.Add("app-7-big", EventPattern.Parse("""{"source":["app.7"],"detail":{"total":[{"numeric":[">",100]}]}}"""));
        rules.Add("two-sources", EventPattern.Parse("""{"source":["app.7","app.8"]}"""));

        var evt = JsonValue.Parse("""{"source":"app.7","detail-type":"Order Created","detail":{"total":150}}""");
        Assert.Equal(["source-7", "any-order-created", "app-7-big", "two-sources"], rules.Match(evt));
        Assert.Equal(["source-8", "two-sources"], rules.Match(JsonValue.Parse("""{"source":"app.8","detail-type":"Refund"}""")));
        Assert.Empty(rules.Match(JsonValue.Parse("""{"source":"unknown"}""")));
        Assert.Equal(1003, rules.Count);
    }
}
