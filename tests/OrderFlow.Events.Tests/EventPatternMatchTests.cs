using OrderFlow.Events.Patterns;
using OrderFlow.Json;

namespace OrderFlow.Events.Tests;

/// <summary>Every operator and edge case of the event-pattern language, matching and not matching.</summary>
public class EventPatternMatchTests
{
    private static bool Match(string pattern, string evt) =>
        EventPattern.Parse(pattern.Replace('\'', '"')).Matches(JsonValue.Parse(evt.Replace('\'', '"')));

    [Theory]
    // exact values: string, number, boolean, null, empty string; null and "" differ; types never mix
    [InlineData("{'a':['x']}", "{'a':'x'}", true)]
    [InlineData("{'a':['x']}", "{'a':'X'}", false)]
    [InlineData("{'a':['x','y']}", "{'a':'y'}", true)]
    [InlineData("{'a':['x','y','z']}", "{'a':'w'}", false)]
    [InlineData("{'a':[300]}", "{'a':300}", true)]
    [InlineData("{'a':[300]}", "{'a':300.0}", true)]
    [InlineData("{'a':[300]}", "{'a':'300'}", false)]
    [InlineData("{'a':['300']}", "{'a':300}", false)]
    [InlineData("{'a':[true]}", "{'a':true}", true)]
    [InlineData("{'a':[true]}", "{'a':'true'}", false)]
    [InlineData("{'a':[null]}", "{'a':null}", true)]
    [InlineData("{'a':[null]}", "{'a':''}", false)]
    [InlineData("{'a':['']}", "{'a':''}", true)]
    [InlineData("{'a':['']}", "{'a':null}", false)]
    [InlineData("{'a':[null]}", "{}", false)]
    [InlineData("{'a':['x']}", "{}", false)]
    // nested objects
    [InlineData("{'detail':{'state':['running']}}", "{'detail':{'state':'running'}}", true)]
    [InlineData("{'detail':{'state':['running']}}", "{'detail':{'state':'stopped'}}", false)]
    [InlineData("{'detail':{'state':['running']}}", "{'detail':'running'}", false)]
    [InlineData("{'detail':{'state':['running']}}", "{'state':'running'}", false)]
    // prefix / suffix, plain and ignoring case
    [InlineData("{'a':[{'prefix':'ca-'}]}", "{'a':'ca-central-1'}", true)]
    [InlineData("{'a':[{'prefix':'ca-'}]}", "{'a':'us-east-1'}", false)]
    [InlineData("{'a':[{'prefix':'ca-'}]}", "{'a':'CA-central-1'}", false)]
    [InlineData("{'a':[{'prefix':{'equals-ignore-case':'ca-'}}]}", "{'a':'CA-central-1'}", true)]
    [InlineData("{'a':[{'prefix':'1'}]}", "{'a':12}", false)]
    [InlineData("{'a':[{'suffix':'.png'}]}", "{'a':'image.png'}", true)]
    [InlineData("{'a':[{'suffix':'.png'}]}", "{'a':'image.PNG'}", false)]
    [InlineData("{'a':[{'suffix':{'equals-ignore-case':'.png'}}]}", "{'a':'image.PNG'}", true)]
    [InlineData("{'a':[{'suffix':'.png'}]}", "{'a':'image.jpg'}", false)]
    // equals-ignore-case
    [InlineData("{'a':[{'equals-ignore-case':'alice'}]}", "{'a':'ALICE'}", true)]
    [InlineData("{'a':[{'equals-ignore-case':'alice'}]}", "{'a':'alicia'}", false)]
    // wildcard with escapes
    [InlineData("{'a':[{'wildcard':'dir/*.png'}]}", "{'a':'dir/a/b.png'}", true)]
    [InlineData("{'a':[{'wildcard':'dir/*.png'}]}", "{'a':'dir/b.jpg'}", false)]
    [InlineData("{'a':[{'wildcard':'*'}]}", "{'a':''}", true)]
    [InlineData("{'a':[{'wildcard':'a*b*c'}]}", "{'a':'aXbYc'}", true)]
    [InlineData("{'a':[{'wildcard':'a*b*c'}]}", "{'a':'aXcYb'}", false)]
    [InlineData("{'a':[{'wildcard':'a\\\\*b'}]}", "{'a':'a*b'}", true)]
    [InlineData("{'a':[{'wildcard':'a\\\\*b'}]}", "{'a':'aXb'}", false)]
    [InlineData("{'a':[{'wildcard':'a\\\\\\\\b'}]}", "{'a':'a\\\\b'}", true)]
    [InlineData("{'a':[{'wildcard':'abc'}]}", "{'a':'abc'}", true)]
    // anything-but: single, list, numbers, with prefix/suffix/equals-ignore-case/wildcard
    [InlineData("{'a':[{'anything-but':'initializing'}]}", "{'a':'running'}", true)]
    [InlineData("{'a':[{'anything-but':'initializing'}]}", "{'a':'initializing'}", false)]
    [InlineData("{'a':[{'anything-but':'initializing'}]}", "{}", false)]
    [InlineData("{'a':[{'anything-but':['stopped','overloaded']}]}", "{'a':'running'}", true)]
    [InlineData("{'a':[{'anything-but':['stopped','overloaded']}]}", "{'a':'stopped'}", false)]
    [InlineData("{'a':[{'anything-but':100}]}", "{'a':100.0}", false)]
    [InlineData("{'a':[{'anything-but':[100,200]}]}", "{'a':150}", true)]
    [InlineData("{'a':[{'anything-but':{'prefix':'init'}}]}", "{'a':'initializing'}", false)]
    [InlineData("{'a':[{'anything-but':{'prefix':'init'}}]}", "{'a':'running'}", true)]
    [InlineData("{'a':[{'anything-but':{'suffix':'.txt'}}]}", "{'a':'a.txt'}", false)]
    [InlineData("{'a':[{'anything-but':{'suffix':'.txt'}}]}", "{'a':'a.png'}", true)]
    [InlineData("{'a':[{'anything-but':{'equals-ignore-case':'ALICE'}}]}", "{'a':'alice'}", false)]
    [InlineData("{'a':[{'anything-but':{'equals-ignore-case':['ALICE','BOB']}}]}", "{'a':'carol'}", true)]
    [InlineData("{'a':[{'anything-but':{'wildcard':'*/lib/*'}}]}", "{'a':'/usr/lib/x'}", false)]
    [InlineData("{'a':[{'anything-but':{'wildcard':['*/lib/*','*.tmp']}}]}", "{'a':'/usr/bin/x'}", true)]
    // numeric: operators, ranges, only JSON numbers
    [InlineData("{'a':[{'numeric':['=',300]}]}", "{'a':300.0}", true)]
    [InlineData("{'a':[{'numeric':['=',300]}]}", "{'a':'300'}", false)]
    [InlineData("{'a':[{'numeric':['<',10]}]}", "{'a':9.99}", true)]
    [InlineData("{'a':[{'numeric':['<',10]}]}", "{'a':10}", false)]
    [InlineData("{'a':[{'numeric':['<=',10]}]}", "{'a':10}", true)]
    [InlineData("{'a':[{'numeric':['>',0]}]}", "{'a':0}", false)]
    [InlineData("{'a':[{'numeric':['>=',0]}]}", "{'a':0}", true)]
    [InlineData("{'a':[{'numeric':['>',0,'<=',5]}]}", "{'a':5}", true)]
    [InlineData("{'a':[{'numeric':['>',0,'<=',5]}]}", "{'a':0}", false)]
    [InlineData("{'a':[{'numeric':['>=',0,'<',5]}]}", "{'a':5}", false)]
    [InlineData("{'a':[{'numeric':['>',-1.5,'<',1e3]}]}", "{'a':-1}", true)]
    // exists: leaf fields only; an empty array does not exist; null does
    [InlineData("{'a':[{'exists':true}]}", "{'a':'x'}", true)]
    [InlineData("{'a':[{'exists':true}]}", "{'a':null}", true)]
    [InlineData("{'a':[{'exists':true}]}", "{}", false)]
    [InlineData("{'a':[{'exists':true}]}", "{'a':[]}", false)]
    [InlineData("{'a':[{'exists':true}]}", "{'a':{'b':1}}", false)]
    [InlineData("{'a':[{'exists':false}]}", "{}", true)]
    [InlineData("{'a':[{'exists':false}]}", "{'a':[]}", true)]
    [InlineData("{'a':[{'exists':false}]}", "{'a':1}", false)]
    [InlineData("{'detail':{'c':[{'exists':false}]}}", "{'source':'x'}", true)]
    [InlineData("{'a':['x',{'exists':false}]}", "{}", true)]
    // cidr, IPv4 and IPv6
    [InlineData("{'ip':[{'cidr':'10.0.0.0/24'}]}", "{'ip':'10.0.0.255'}", true)]
    [InlineData("{'ip':[{'cidr':'10.0.0.0/24'}]}", "{'ip':'10.0.1.0'}", false)]
    [InlineData("{'ip':[{'cidr':'10.0.0.0/24'}]}", "{'ip':'not an ip'}", false)]
    [InlineData("{'ip':[{'cidr':'0.0.0.0/0'}]}", "{'ip':'203.0.113.9'}", true)]
    [InlineData("{'ip':[{'cidr':'2001:db8::/32'}]}", "{'ip':'2001:db8:1234::1'}", true)]
    [InlineData("{'ip':[{'cidr':'2001:db8::/32'}]}", "{'ip':'2001:db9::1'}", false)]
    [InlineData("{'ip':[{'cidr':'2001:db8::/32'}]}", "{'ip':'10.0.0.1'}", false)]
    // $or: nested, several fields per branch
    [InlineData("{'source':['s'],'$or':[{'a':['1']},{'b':['2']}]}", "{'source':'s','b':'2'}", true)]
    [InlineData("{'source':['s'],'$or':[{'a':['1']},{'b':['2']}]}", "{'source':'t','b':'2'}", false)]
    [InlineData("{'source':['s'],'$or':[{'a':['1']},{'b':['2']}]}", "{'source':'s','b':'3'}", false)]
    [InlineData("{'$or':[{'a':['1'],'c':['3']},{'b':['2']}]}", "{'a':'1','c':'4'}", false)]
    [InlineData("{'$or':[{'a':['1'],'c':['3']},{'b':['2']}]}", "{'a':'1','c':'3'}", true)]
    [InlineData("{'detail':{'$or':[{'x':[{'numeric':['>',5]}]},{'$or':[{'y':['a']},{'z':[{'exists':true}]}]}]}}", "{'detail':{'z':0}}", true)]
    [InlineData("{'detail':{'$or':[{'x':[{'numeric':['>',5]}]},{'$or':[{'y':['a']},{'z':[{'exists':true}]}]}]}}", "{'detail':{'x':1,'y':'b'}}", false)]
    // arrays in events: a field matches when any element matches
    [InlineData("{'resources':['arn:b']}", "{'resources':['arn:a','arn:b']}", true)]
    [InlineData("{'resources':['arn:c']}", "{'resources':['arn:a','arn:b']}", false)]
    [InlineData("{'a':[{'prefix':'x'}]}", "{'a':['ya','xb']}", true)]
    [InlineData("{'a':[{'numeric':['>',10]}]}", "{'a':[1,2,30]}", true)]
    [InlineData("{'a':['x']}", "{'a':[['x']]}", true)]
    // objects inside arrays: fields of different elements are never combined
    [InlineData("{'items':{'name':['a'],'qty':[2]}}", "{'items':[{'name':'a','qty':2},{'name':'b','qty':1}]}", true)]
    [InlineData("{'items':{'name':['a'],'qty':[1]}}", "{'items':[{'name':'a','qty':2},{'name':'b','qty':1}]}", false)]
    [InlineData("{'items':{'tags':{'k':['v']}}}", "{'items':[{'tags':[{'k':'w'},{'k':'v'}]}]}", true)]
    public void Matches_Operator_AsEventBridgeMatches(string pattern, string evt, bool expected)
    {
        Assert.Equal(expected, Match(pattern, evt));
    }

    [Fact]
    public void Matches_EventIsNotAnObject_ReturnsFalse()
    {
        Assert.False(EventPattern.Parse("{\"a\":[1]}").Matches(JsonValue.Parse("[1]")));
    }
}
