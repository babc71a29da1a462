using OrderFlow.States.Execution;
using OrderFlow.Json;
using OrderFlow.States.Tests.Support;
using static OrderFlow.States.Tests.Support.Engine;

namespace OrderFlow.States.Tests.Execution;

/// <summary>Wait, Succeed, Fail and workflow variables.</summary>
public class StateTypeTests
{
    [Theory]
    [InlineData("'Seconds':10", "{}", 10)]
    [InlineData("'SecondsPath':'$.wait'", "{\"wait\":7}", 7)]
    [InlineData("'Timestamp':'2026-01-01T00:01:00Z'", "{}", 60)]
    [InlineData("'TimestampPath':'$.until'", "{\"until\":\"2026-01-01T02:00:00+01:00\"}", 3600)]
    [InlineData("'Timestamp':'2020-01-01T00:00:00Z'", "{}", 0)]
    public async Task Wait_EachForm_WaitsOnInjectedClock(string field, string input, int seconds)
    {
        var time = new InstantTimeProvider();
        var output = await OutputAsync(Single($"{{'Type':'Wait',{field},'End':true}}"), input, new ExecutionOptions { TimeProvider = time });
        Assert.Equal(J(input), output);
        Assert.Equal(seconds == 0 ? [] : [TimeSpan.FromSeconds(seconds)], time.Delays);
    }

    [Fact]
    public async Task Wait_WaitScale_ShortensRealWaits()
    {
        var time = new InstantTimeProvider();
        await OutputAsync(Single("{'Type':'Wait','Seconds':100,'End':true}"), "{}", new ExecutionOptions { TimeProvider = time, WaitTimeScale = 0.01 });
        Assert.Equal([TimeSpan.FromSeconds(1)], time.Delays);
    }

    [Theory]
    [InlineData("{\"wait\":-1}")]
    [InlineData("{\"wait\":\"ten\"}")]
    [InlineData("{}")]
    public async Task Wait_SecondsPathInvalid_IsRuntime(string input)
    {
        var error = await ErrorAsync(Single("{'Type':'Wait','SecondsPath':'$.wait','End':true}"), input);
        Assert.Equal(ErrorNames.Runtime, error.Error);
    }

    [Fact]
    public async Task Fail_FixedErrorAndCause_FailExecution()
    {
        var error = await ErrorAsync(Single("{'Type':'Fail','Error':'ErrorA','Cause':'Kaiju attack'}"));
        Assert.Equal(new StatesError("ErrorA", "Kaiju attack"), error);
    }

    [Fact]
    public async Task Fail_ErrorPathAndCausePath_FromInputAndIntrinsic()
    {
        var error = await ErrorAsync("{\"StartAt\":\"S\",\"States\":{\"S\":{\"Type\":\"Fail\",\"ErrorPath\":\"$.code\",\"CausePath\":\"States.Format('Order {} failed', $.id)\"}}}",
            """{"code":"Order.Invalid","id":"7"}""");
        Assert.Equal(new StatesError("Order.Invalid", "Order 7 failed"), error);
    }

    [Fact]
    public async Task Succeed_AppliesInputAndOutputPath()
    {
        var output = await OutputAsync(Single("{'Type':'Succeed','InputPath':'$.a','OutputPath':'$.b'}"), """{"a":{"b":2}}""");
        Assert.Equal(JsonNumber.FromInt64(2), output);
    }

    [Fact]
    public async Task Variables_AssignedInOneState_ReadLaterByPathsAndIntrinsics()
    {
        var output = await OutputAsync("""
            {'StartAt':'A','States':{
              'A':{'Type':'Pass','Result':{'id':'42','n':2},'Assign':{'orderId.$':'$.id','count.$':'$.n','fixed':'x'},'ResultPath':null,'Next':'B'},
              'B':{'Type':'Pass','Parameters':{'id.$':'$orderId','next.$':'States.MathAdd($count, 1)','fixed.$':'$fixed'},'End':true}}}
            """);
        JsonEqual("""{"id":"42","next":3,"fixed":"x"}""", output);
    }

    [Fact]
    public async Task Variables_AssignBlock_EvaluatesEveryValueBeforeStoringAny()
    {
        var output = await OutputAsync("""
            {'StartAt':'A','States':{
              'A':{'Type':'Pass','Assign':{'x':1,'y':2},'Next':'Swap'},
              'Swap':{'Type':'Pass','Assign':{'x.$':'$y','y.$':'$x'},'Next':'Read'},
              'Read':{'Type':'Pass','Parameters':{'x.$':'$x','y.$':'$y'},'End':true}}}
            """);
        JsonEqual("""{"x":2,"y":1}""", output);
    }

    [Fact]
    public async Task Variables_MapIteration_ReadsOuterScope_ButItsAssignmentsStayInside()
    {
        var output = await OutputAsync("""
            {"StartAt":"Set","States":{
              "Set":{"Type":"Pass","Assign":{"prefix":"item-"},"Next":"Map"},
              "Map":{"Type":"Map","ItemProcessor":{"StartAt":"Inner","States":{
                  "Inner":{"Type":"Pass","Assign":{"local.$":"$"},"Next":"Use"},
                  "Use":{"Type":"Pass","Parameters":{"v.$":"States.Format('{}{}', $prefix, $local)"},"End":true}}},
                "End":true}}}
            """, "[1,2]");
        JsonEqual("""[{"v":"item-1"},{"v":"item-2"}]""", output);
    }

    [Fact]
    public async Task Variables_InnerAssignment_NotVisibleOutside_IsRuntime()
    {
        var error = await ErrorAsync("""
            {'StartAt':'Map','States':{
              'Map':{'Type':'Map','ItemProcessor':{'StartAt':'Inner','States':{'Inner':{'Type':'Pass','Assign':{'local.$':'$'},'End':true}}},'Next':'After'},
              'After':{'Type':'Pass','Parameters':{'local.$':'$local'},'End':true}}}
            """, "[1,2]");
        Assert.Equal(ErrorNames.Runtime, error.Error);
        Assert.Contains("$local", error.Cause);
    }

    [Fact]
    public async Task Variables_TaskAssign_SeesResultAfterResultSelector_CatchAssign_SeesErrorOutput()
    {
        const string arn = "arn:aws:states:::lambda:invoke";
        var calls = 0;
        var options = WithHandler(arn, _ => ++calls == 1 ? J("""{"Payload":{"total":9}}""") : Evaluated.Fail("Nope", "second call"));
        var output = await OutputAsync($$$$"""
            {'StartAt':'T1','States':{
              'T1':{'Type':'Task','Resource':'{{{{arn}}}}','ResultSelector':{'total.$':'$.Payload.total'},'Assign':{'total.$':'$.total'},'Next':'T2'},
              'T2':{'Type':'Task','Resource':'{{{{arn}}}}','Catch':[{'ErrorEquals':['States.ALL'],'Assign':{'why.$':'$.Cause'},'Next':'Done'}],'End':true},
              'Done':{'Type':'Pass','Parameters':{'total.$':'$total','why.$':'$why'},'End':true}}}
            """, "{}", options);
        JsonEqual("""{"total":9,"why":"second call"}""", output);
    }
}
