using OrderFlow.Events.Patterns;

namespace OrderFlow.Events.Tests;

/// <summary>Patterns EventBridge rejects are rejected here, each with a message saying what and where.</summary>
public class EventPatternValidationTests
{
    [Theory]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("\"source\"", "must be a JSON object")]
    [InlineData("{}", "empty")]
    [InlineData("{'source':'aws.s3'}", "source: match values must be in an array, not a bare string")]
    [InlineData("{'detail':{'size':5}}", "detail.size: match values must be in an array")]
    [InlineData("{'source':[]}", "source: an array of match values must not be empty")]
    [InlineData("{'detail':{}}", "detail: an empty object matches nothing")]
    [InlineData("{'a':[['x']]}", "a[0]: a match value cannot be an array")]
    [InlineData("{'a':[{}]}", "a[0]: an empty object is not a match value")]
    [InlineData("{'a':[{'prefix':'x','suffix':'y'}]}", "exactly one operator")]
    [InlineData("{'a':[{'Prefix':'x'}]}", "operators are lowercase, write \"prefix\"")]
    [InlineData("{'a':[{'PREFIX':'x'}]}", "unrecognized match type \"PREFIX\"")]
    [InlineData("{'a':[{'startsWith':'x'}]}", "unrecognized match type \"startsWith\"")]
    [InlineData("{'a':[{'prefix':5}]}", "a[0].prefix: prefix takes a string")]
    [InlineData("{'a':[{'suffix':['x']}]}", "a[0].suffix: suffix takes a string")]
    [InlineData("{'a':[{'prefix':{'equals-ignore-case':1}}]}", "must be a string")]
    [InlineData("{'a':[{'equals-ignore-case':true}]}", "must be a string")]
    [InlineData("{'a':[{'wildcard':'a**b'}]}", "consecutive wildcard characters")]
    [InlineData("{'a':[{'wildcard':'a\\\\nb'}]}", "may only escape")]
    [InlineData("{'a':[{'wildcard':3}]}", "must be a string")]
    [InlineData("{'$or':[{'a':['1']}]}", "$or needs an array of at least two pattern objects")]
    [InlineData("{'$or':{'a':['1']}}", "$or needs an array")]
    [InlineData("{'$or':[{'a':['1']},'b']}", "$or[1]: each $or branch must be a non-empty pattern object")]
    [InlineData("{'a':[{'anything-but':['x',1]}]}", "only strings or only numbers")]
    [InlineData("{'a':[{'anything-but':[]}]}", "at least one value")]
    [InlineData("{'a':[{'anything-but':true}]}", "anything-but takes")]
    [InlineData("{'a':[{'anything-but':{'numeric':['>',1]}}]}", "not \"numeric\"")]
    [InlineData("{'a':[{'numeric':[5]}]}", "numeric takes")]
    [InlineData("{'a':[{'numeric':'>5'}]}", "numeric takes")]
    [InlineData("{'a':[{'numeric':['>','5']}]}", "must be followed by a number")]
    [InlineData("{'a':[{'numeric':['!=',5]}]}", "unrecognized numeric operator")]
    [InlineData("{'a':[{'numeric':['<',5,'>',1]}]}", "starts with > or >=")]
    [InlineData("{'a':[{'numeric':['>',5,'<',1]}]}", "must be less than its top")]
    [InlineData("{'a':[{'numeric':['>',5,'<',5]}]}", "must be less than its top")]
    [InlineData("{'a':[{'numeric':['>',1,'<',5,'<',9]}]}", "numeric takes")]
    [InlineData("{'a':[{'exists':'yes'}]}", "exists takes true or false")]
    [InlineData("{'ip':[{'cidr':'10.0.0.0'}]}", "not an IPv4 or IPv6 CIDR block")]
    [InlineData("{'ip':[{'cidr':'10.0.0.0/33'}]}", "not an IPv4 or IPv6 CIDR block")]
    [InlineData("{'ip':[{'cidr':'nonsense/8'}]}", "not an IPv4 or IPv6 CIDR block")]
    [InlineData("{'a':['x',", "Malformed JSON")]
    public void Parse_InvalidPattern_IsRejectedWithReason(string pattern, string reason)
    {
        var ex = Assert.Throws<InvalidEventPatternException>(() => EventPattern.Parse(pattern.Replace('\'', '"')));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("Event pattern is not valid. Reason: ", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{'a':[{'prefix':''}]}")]
    [InlineData("{'a':[{'anything-but':{'wildcard':['a*','b*']}}]}")]
    [InlineData("{'a':[{'numeric':['>=',-5e9,'<=',5e9]}]}")]
    [InlineData("{'a':{'b':{'c':[{'cidr':'::/0'}]}}}")]
    public void Parse_ValidEdgePattern_IsAccepted(string pattern)
    {
        Assert.True(EventPattern.TryParse(pattern.Replace('\'', '"'), out _, out var error), error);
    }
}
