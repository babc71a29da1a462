using OrderFlow.States.Execution;
using OrderFlow.Json;
using OrderFlow.States.Tasks;
using static OrderFlow.States.Tests.Support.Engine;

namespace OrderFlow.States.Tests.Execution;

/// <summary>Map and Parallel: item selection, ordering, concurrency limits and failure propagation.</summary>
public class MapParallelTests
{
    private const string Arn = "arn:aws:states:::lambda:invoke";

    [Fact]
    public async Task Map_ItemSelector_DocsShippingExample()
    {
        var output = await OutputAsync("""
            {'StartAt':'Map','States':{'Map':{'Type':'Map','ItemsPath':'$.detail.shipped',
              'ItemSelector':{'parcel.$':'$$.Map.Item.Value','courier.$':'$.detail.delivery-partner','index.$':'$$.Map.Item.Index'},
              'ItemProcessor':{'StartAt':'Echo','States':{'Echo':{'Type':'Pass','End':true}}},'End':true}}}
            """, """
            {"ship-date":"2016-03-14T01:59:00Z","detail":{"delivery-partner":"UQS","shipped":[
              {"prod":"R31","dest-code":9511,"quantity":1344},{"prod":"S39","dest-code":9511,"quantity":40}]}}
            """);
        JsonEqual("""
            [{"parcel":{"prod":"R31","dest-code":9511,"quantity":1344},"courier":"UQS","index":0},
             {"parcel":{"prod":"S39","dest-code":9511,"quantity":40},"courier":"UQS","index":1}]
            """, output);
    }

    [Fact]
    public async Task Map_ItemSelectorContextPaths_ReadTheItemAndTheRestOfTheContextAlike()
    {
        // $$.Map.Item.Index/Value (and paths below them) are read from the item's scope without building the context
        // object; the whole $$.Map.Item and the other context members come from the built object. Both must agree.
        var output = await OutputAsync("""
            {'StartAt':'Map','States':{'Map':{'Type':'Map','ItemsPath':'$.items',
              'ItemSelector':{'item.$':'$$.Map.Item','prod.$':'$$.Map.Item.Value.prod','n.$':'$$.Map.Item.Index','state.$':'$$.State.Name'},
              'ItemProcessor':{'StartAt':'Echo','States':{'Echo':{'Type':'Pass','End':true}}},'End':true}}}
            """, """{"items":[{"prod":"R31"},{"prod":"S39"}]}""");
        JsonEqual("""
            [{"item":{"Index":0,"Value":{"prod":"R31"}},"prod":"R31","n":0,"state":"Map"},
             {"item":{"Index":1,"Value":{"prod":"S39"}},"prod":"S39","n":1,"state":"Map"}]
            """, output);
    }

    [Fact]
    public async Task Map_ItemSelectorPathBelowAbsentValueMember_IsRuntime()
    {
        var error = await ErrorAsync("""
            {'StartAt':'Map','States':{'Map':{'Type':'Map','ItemsPath':'$.items','ItemSelector':{'x.$':'$$.Map.Item.Value.absent'},
              'ItemProcessor':{'StartAt':'Echo','States':{'Echo':{'Type':'Pass','End':true}}},'End':true}}}
            """, """{"items":[{"prod":"R31"}]}""");
        Assert.Equal(ErrorNames.Runtime, error.Error);
    }

    [Fact]
    public async Task Map_DeprecatedIteratorAndParameters_StillWork()
    {
        var output = await OutputAsync("""
            {'StartAt':'Map','States':{'Map':{'Type':'Map','ItemsPath':'$.list','Parameters':{'v.$':'$$.Map.Item.Value'},
              'Iterator':{'StartAt':'Echo','States':{'Echo':{'Type':'Pass','End':true}}},'ResultPath':'$.out','End':true}}}
            """, """{"list":[1,2]}""");
        JsonEqual("""{"list":[1,2],"out":[{"v":1},{"v":2}]}""", output);
    }

    [Fact]
    public async Task Map_ResultsKeepItemOrder_EvenWhenLaterItemsFinishFirst()
    {
        var registry = new TaskHandlerRegistry().Register(Arn, async (inv, ct) =>
        {
            var n = (int)((JsonNumber)inv.Parameters).Value;
            await Task.Delay(TimeSpan.FromMilliseconds((10 - n) * 3), ct);
            return Evaluated.Ok(JsonNumber.FromInt64(n * 10));
        });
        var output = await OutputAsync(Single($"{{'Type':'Map','ItemProcessor':{{'StartAt':'T','States':{{'T':{{'Type':'Task','Resource':'{Arn}','End':true}}}}}},'End':true}}"),
            "[0,1,2,3,4,5,6,7,8,9]", new ExecutionOptions { Handlers = registry });
        JsonEqual("[0,10,20,30,40,50,60,70,80,90]", output);
    }

    [Theory]
    [InlineData("'MaxConcurrency':1", 1)]
    [InlineData("'MaxConcurrency':3", 3)]
    [InlineData("'MaxConcurrencyPath':'$.limit'", 2)]
    public async Task Map_MaxConcurrency_BoundsIterationsInFlight(string limitField, int expectedPeak)
    {
        var inFlight = 0;
        var peak = 0;
        var registry = new TaskHandlerRegistry().Register(Arn, async (inv, ct) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref peak, now);
            await Task.Delay(5, ct);
            Interlocked.Decrement(ref inFlight);
            return Evaluated.Ok(inv.Parameters);
        });
        var output = await OutputAsync(Single($"{{'Type':'Map','ItemsPath':'$.items',{limitField},'ItemProcessor':{{'StartAt':'T','States':{{'T':{{'Type':'Task','Resource':'{Arn}','End':true}}}}}},'End':true}}"),
            """{"limit":2,"items":[1,2,3,4,5,6,7,8]}""", new ExecutionOptions { Handlers = registry });
        JsonEqual("[1,2,3,4,5,6,7,8]", output);
        Assert.Equal(expectedPeak, peak);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    [Fact]
    public async Task Map_IterationFails_MapFailsWithThatErrorAndCanBeCaught()
    {
        var definition = """
            {'StartAt':'Map','States':{'Map':{'Type':'Map','ItemsPath':'$.items','ItemProcessor':{'StartAt':'C','States':{
               'C':{'Type':'Choice','Choices':[{'Variable':'$','NumericEquals':3,'Next':'Bad'}],'Default':'Ok'},
               'Bad':{'Type':'Fail','Error':'Item.Bad','Cause':'three'},'Ok':{'Type':'Pass','End':true}}},
              'Catch':[{'ErrorEquals':['Item.Bad'],'ResultPath':'$.error','Next':'Handled'}],'End':true},
              'Handled':{'Type':'Pass','End':true}}}
            """;
        var output = await OutputAsync(definition, """{"items":[1,2,3,4]}""");
        JsonEqual("""{"items":[1,2,3,4],"error":{"Error":"Item.Bad","Cause":"three"}}""", output);
    }

    [Fact]
    public async Task Map_ItemsPathNotArray_IsRuntime()
    {
        var error = await ErrorAsync(Single("{'Type':'Map','ItemsPath':'$.items','ItemProcessor':{'StartAt':'P','States':{'P':{'Type':'Pass','End':true}}},'End':true}"),
            """{"items":{"not":"array"}}""");
        Assert.Equal(ErrorNames.Runtime, error.Error);
        Assert.Contains("$.items", error.Cause);
    }

    [Fact]
    public async Task Map_EmptyArray_ReturnsEmptyArray()
    {
        var output = await OutputAsync(Single("{'Type':'Map','ItemProcessor':{'StartAt':'P','States':{'P':{'Type':'Pass','End':true}}},'End':true}"), "[]");
        JsonEqual("[]", output);
    }

    [Fact]
    public async Task Parallel_BranchOutputs_AreInBranchOrder_AndResultSelectorApplies()
    {
        var output = await OutputAsync("""
            {'StartAt':'P','States':{'P':{'Type':'Parallel','Parameters':{'n.$':'$.n'},'Branches':[
                {'StartAt':'A','States':{'A':{'Type':'Wait','Seconds':1,'Next':'A2'},'A2':{'Type':'Pass','Parameters':{'a.$':'$.n'},'End':true}}},
                {'StartAt':'B','States':{'B':{'Type':'Pass','Result':'b','End':true}}}],
              'ResultSelector':{'first.$':'$[0].a','second.$':'$[1]'},'ResultPath':'$.parallel','End':true}}}
            """, """{"n":5}""");
        JsonEqual("""{"n":5,"parallel":{"first":5,"second":"b"}}""", output);
    }

    [Fact]
    public async Task Parallel_OneBranchFails_StateFailsWithBranchError()
    {
        var error = await ErrorAsync("""
            {'StartAt':'P','States':{'P':{'Type':'Parallel','Branches':[
                {'StartAt':'A','States':{'A':{'Type':'Wait','Seconds':100,'End':true}}},
                {'StartAt':'B','States':{'B':{'Type':'Fail','Error':'Branch.Failed','Cause':'b'}}}],'End':true}}}
            """, "{}", new ExecutionOptions { WaitTimeScale = 1 });
        Assert.Equal("Branch.Failed", error.Error);
    }

    [Fact]
    public async Task Parallel_Retry_RerunsEveryBranch()
    {
        var calls = 0;
        var registry = new TaskHandlerRegistry().Register(Arn, (_, _) =>
            ValueTask.FromResult(Interlocked.Increment(ref calls) == 1 ? Evaluated.Fail("Flaky", "first") : Evaluated.Ok(JsonValue.True)));
        var output = await OutputAsync($$$$"""
            {'StartAt':'P','States':{'P':{'Type':'Parallel','Retry':[{'ErrorEquals':['Flaky'],'IntervalSeconds':1}],'Branches':[
                {'StartAt':'T','States':{'T':{'Type':'Task','Resource':'{{{{Arn}}}}','End':true}}}],'End':true}}}
            """, "{}", new ExecutionOptions { Handlers = registry, WaitTimeScale = 0 });
        JsonEqual("[true]", output);
        Assert.Equal(2, calls);
    }
}
