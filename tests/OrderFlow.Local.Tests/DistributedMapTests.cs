using System.IO.Compression;
using System.Text;
using OrderFlow.Events.S3;
using OrderFlow.Json;
using OrderFlow.States.Execution;
using OrderFlow.States.Model;

namespace OrderFlow.Local.Tests;

/// <summary>Distributed Map on the embedded bucket: every reader, batching, tolerated failures, result files.</summary>
public sealed class DistributedMapTests : IAsyncLifetime
{
    private readonly TestCloud _t = new();

    public async Task InitializeAsync()
    {
        await _t.Cloud.Buckets.CreateBucketAsync("data", CancellationToken.None);
        await _t.Cloud.Buckets.CreateBucketAsync("results", CancellationToken.None);
    }

    public async Task DisposeAsync() => await _t.DisposeAsync();

    private async Task Put(string key, string content) =>
        await _t.Cloud.Buckets.PutObjectAsync("data", key, new MemoryStream(Encoding.UTF8.GetBytes(content)), null, S3CreateReason.PutObject, CancellationToken.None);

    /// <summary>A machine whose Map reads <paramref name="reader"/>; items with "bad": true fail.</summary>
    private async Task<ExecutionResult> Run(string mapFields, string input = "{}")
    {
        var definition = $$$$"""
            {"StartAt":"Map","States":{"Map":{"Type":"Map",{{{{mapFields}}}},
              "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"Check","States":{
                "Check":{"Type":"Choice","Choices":[{"Variable":"$.bad","IsPresent":true,"Next":"Bad"}],"Default":"Ok"},
                "Bad":{"Type":"Fail","Error":"Item.Bad","Cause":"bad item"},
                "Ok":{"Type":"Pass","End":true}}},
              "End":true}}}
            """;
        return await StateMachine.Parse(definition).RunAsync(JsonValue.Parse(input), _t.Cloud.ExecutionOptions);
    }

    private const string JsonReader = "\"ItemReader\":{\"Resource\":\"arn:aws:states:::s3:getObject\",\"ReaderConfig\":{\"InputType\":\"JSON\",\"ItemsPointer\":\"/orders\"},\"Parameters\":{\"Bucket\":\"data\",\"Key.$\":\"$.key\"}}";

    [Fact]
    public async Task JsonItemsPointer_SeedShape_EachOrderIsAChild_OutputInOrder()
    {
        await Put("orders.json", File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "seed", "orders.json")));
        var result = await Run(JsonReader, """{"key":"orders.json"}""");
        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var output = (JsonArray)result.Output!;
        Assert.Equal(2, output.Count);
        Assert.Equal(new JsonString("1"), ((JsonObject)((JsonObject)output[0])["order-info"]!)["OrderId"]);
        var run = Assert.Single(result.MapRuns);
        Assert.Equal((2L, 2L, 0L, 2L), (run.Total, run.Succeeded, run.Failed, run.ItemsSucceeded));
        Assert.Contains(result.History, e => e.Type == "MapRunStarted");
    }

    [Fact]
    public async Task ResultWriter_WritesManifestAndStatusFiles_AndToleratedFailuresPass()
    {
        await Put("items.json", """[{"n":1},{"n":2,"bad":true},{"n":3}]""");
        var result = await Run("""
            "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON"},"Parameters":{"Bucket":"data","Key":"items.json"}},
            "ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"results","Prefix":"runs"}},
            "ToleratedFailureCount":1
            """);
        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var details = (JsonObject)((JsonObject)result.Output!)["ResultWriterDetails"]!;
        var manifestKey = ((JsonString)details["Key"]!).Value;
        Assert.StartsWith("runs/", manifestKey, StringComparison.Ordinal);
        var manifest = (JsonObject)JsonValue.Parse(((JsonString)(await _t.S3("GetObject", $"{{'Bucket':'results','Key':'{manifestKey}'}}"))["Body"]!).Value);
        var files = (JsonObject)manifest["ResultFiles"]!;
        var succeededKey = ((JsonString)((JsonObject)((JsonArray)files["SUCCEEDED"]!)[0])["Key"]!).Value;
        var failedKey = ((JsonString)((JsonObject)((JsonArray)files["FAILED"]!)[0])["Key"]!).Value;
        var succeeded = (JsonArray)JsonValue.Parse(((JsonString)(await _t.S3("GetObject", $"{{'Bucket':'results','Key':'{succeededKey}'}}"))["Body"]!).Value);
        var failed = (JsonArray)JsonValue.Parse(((JsonString)(await _t.S3("GetObject", $"{{'Bucket':'results','Key':'{failedKey}'}}"))["Body"]!).Value);
        Assert.Equal(2, succeeded.Count);
        var failure = (JsonObject)Assert.Single(failed);
        Assert.Equal(new JsonString("Item.Bad"), failure["Error"]);
        Assert.Equal(new JsonString("FAILED"), failure["Status"]);
        var run = Assert.Single(result.MapRuns);
        Assert.Equal((3L, 2L, 1L, 2L, 1L), (run.Total, run.Succeeded, run.Failed, run.ItemsSucceeded, run.ItemsFailed));
    }

    [Theory]
    [InlineData("COMPACT", """[{"n":1},{"n":2,"bad":true},{"n":3}]""", """[{"n":1},{"n":3}]""")]
    [InlineData("FLATTEN", """[[1,2],{"bad":true},[3]]""", "[1,2,3]")]
    [InlineData("FLATTEN", """[{"n":1},[]]""", """[{"n":1}]""")]
    public async Task ResultWriter_WriterConfigTransformation_SucceededEntriesAreTheOutputs_FailedKeepTheirInput(string transformation, string items, string expected)
    {
        await Put("items.json", items);
        var result = await Run($$$"""
            "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON"},"Parameters":{"Bucket":"data","Key":"items.json"}},
            "MaxConcurrency":1,
            "ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"results","Prefix":"runs"},
                            "WriterConfig":{"Transformation":"{{{transformation}}}","OutputType":"JSON"}},
            "ToleratedFailureCount":1
            """);
        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var manifestKey = ((JsonString)((JsonObject)((JsonObject)result.Output!)["ResultWriterDetails"]!)["Key"]!).Value;
        var files = (JsonObject)((JsonObject)await ReadResult(manifestKey))["ResultFiles"]!;
        var succeeded = await ReadResult(((JsonString)((JsonObject)((JsonArray)files["SUCCEEDED"]!)[0])["Key"]!).Value);
        Assert.Equal(JsonValue.Parse(expected), succeeded);
        if (((JsonArray)files["FAILED"]!).Count > 0)
        {
            var failed = (JsonArray)await ReadResult(((JsonString)((JsonObject)((JsonArray)files["FAILED"]!)[0])["Key"]!).Value);
            var failure = (JsonObject)Assert.Single(failed);
            Assert.Equal(new JsonString("FAILED"), failure["Status"]);
            var failedInput = (JsonObject)JsonValue.Parse(((JsonString)failure["Input"]!).Value);
            Assert.Equal(JsonValue.True, failedInput["bad"]);
        }
    }

    [Theory]
    [InlineData("""{"Transformation":"SQUASH"}""", "must be NONE, COMPACT or FLATTEN")]
    [InlineData("""{"OutputType":"JSONL"}""", "JSONL is not supported")]
    [InlineData("""{"OutputType":"CSV"}""", "must be JSON or JSONL")]
    [InlineData("""{"Compression":"GZIP"}""", "Compression")]
    public void ResultWriter_UnsupportedWriterConfig_IsADefinitionProblem(string config, string expected)
    {
        var definition = $$$$"""
            {"StartAt":"Map","States":{"Map":{"Type":"Map",
              "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON"},"Parameters":{"Bucket":"data","Key":"items.json"}},
              "ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"results"},"WriterConfig":{{{{config}}}}},
              "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"Ok","States":{"Ok":{"Type":"Pass","End":true}}},
              "End":true}}}
            """;
        var error = Assert.ThrowsAny<Exception>(() => StateMachine.Parse(definition));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private async Task<JsonValue> ReadResult(string key) =>
        JsonValue.Parse(((JsonString)(await _t.S3("GetObject", $"{{'Bucket':'results','Key':'{key}'}}"))["Body"]!).Value);

    [Theory]
    [InlineData("", 1, false)]
    [InlineData(",\"ToleratedFailureCount\":0", 1, false)]
    [InlineData(",\"ToleratedFailureCount\":1", 1, true)]
    [InlineData(",\"ToleratedFailurePercentage\":30", 1, false)]
    [InlineData(",\"ToleratedFailurePercentage\":34", 1, true)]
    [InlineData(",\"ToleratedFailureCountPath\":\"$.tolerate\"", 1, true)]
    public async Task ToleratedFailures_ExceededFailsWithThresholdError(string tolerance, int bad, bool succeeds)
    {
        _ = bad;
        await Put("items.json", """[{"n":1},{"n":2,"bad":true},{"n":3}]""");
        var result = await Run("\"ItemReader\":{\"Resource\":\"arn:aws:states:::s3:getObject\",\"ReaderConfig\":{\"InputType\":\"JSON\"},\"Parameters\":{\"Bucket\":\"data\",\"Key\":\"items.json\"}}" + tolerance,
            """{"tolerate":1}""");
        Assert.Equal(succeeds ? ExecutionStatus.Succeeded : ExecutionStatus.Failed, result.Status);
        if (!succeeds)
        {
            Assert.Equal(ErrorNames.ExceedToleratedFailureThreshold, result.Error!.Error);
        }
    }

    [Fact]
    public async Task JsonLines_MalformedLineInTheMiddle_FailsWithItemReaderFailedNamingTheLine()
    {
        await Put("items.jsonl", "{\"n\":1}\n{\"n\":2}\n{\"n\":\n{\"n\":4}\n");
        var result = await Run("\"ItemReader\":{\"Resource\":\"arn:aws:states:::s3:getObject\",\"ReaderConfig\":{\"InputType\":\"JSONL\"},\"Parameters\":{\"Bucket\":\"data\",\"Key\":\"items.jsonl\"}}");
        Assert.Equal(ErrorNames.ItemReaderFailed, result.Error!.Error);
        Assert.Contains("Line 3", result.Error.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonArray_TruncatedInTheMiddle_FailsWithItemReaderFailed()
    {
        await Put("items.json", "[{\"n\":1},{\"n\":2},{\"n\":");
        var result = await Run("\"ItemReader\":{\"Resource\":\"arn:aws:states:::s3:getObject\",\"ReaderConfig\":{\"InputType\":\"JSON\"},\"Parameters\":{\"Bucket\":\"data\",\"Key\":\"items.json\"}}");
        Assert.Equal(ErrorNames.ItemReaderFailed, result.Error!.Error);
        Assert.Contains("item 3", result.Error.Cause, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("COMMA", "OrderId,qty\n1,2\n\"3,4\",\"say \"\"hi\"\"\"\n", "FIRST_ROW", null)]
    [InlineData("PIPE", "OrderId|qty\n1|2\n3,4|say \"hi\"\n", "FIRST_ROW", null)]
    [InlineData("TAB", "1\t2\n3,4\tsay \"hi\"\n", "GIVEN", "[\"OrderId\",\"qty\"]")]
    [InlineData("SEMICOLON", "OrderId;qty\n1;2\n3,4;say \"hi\"\n", "FIRST_ROW", null)]
    [InlineData("SPACE", "OrderId qty\n1 2\n\"3,4\" \"say \"\"hi\"\"\"\n", "FIRST_ROW", null)]
    public async Task Csv_HeadersAndDelimiters_RowsBecomeObjectsOfStrings(string delimiter, string csv, string headerLocation, string? headers)
    {
        await Put("items.csv", csv);
        var config = $"\"InputType\":\"CSV\",\"CSVDelimiter\":\"{delimiter}\",\"CSVHeaderLocation\":\"{headerLocation}\"" + (headers is null ? string.Empty : $",\"CSVHeaders\":{headers}");
        var result = await Run($"\"ItemReader\":{{\"Resource\":\"arn:aws:states:::s3:getObject\",\"ReaderConfig\":{{{config}}},\"Parameters\":{{\"Bucket\":\"data\",\"Key\":\"items.csv\"}}}}");
        Assert.True(result.Status == ExecutionStatus.Succeeded, result.Error?.ToString());
        Assert.Equal(JsonValue.Parse("""[{"OrderId":"1","qty":"2"},{"OrderId":"3,4","qty":"say \"hi\""}]"""), result.Output);
    }

    [Fact]
    public async Task MaxItems_AndItemBatcher_GroupItemsWithBatchInput()
    {
        await Put("items.json", "[" + string.Join(",", Enumerable.Range(1, 10).Select(i => $"{{\"n\":{i}}}")) + "]");
        var definition = """
            {"StartAt":"Map","States":{"Map":{"Type":"Map",
              "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON","MaxItems":7},"Parameters":{"Bucket":"data","Key":"items.json"}},
              "ItemBatcher":{"MaxItemsPerBatch":3,"BatchInput":{"file":"items.json"}},
              "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},"StartAt":"Count","States":{
                "Count":{"Type":"Pass","Parameters":{"file.$":"$.BatchInput.file","count.$":"States.ArrayLength($.Items)"},"End":true}}},
              "End":true}}}
            """;
        var result = await StateMachine.Parse(definition).RunAsync(JsonObject.Empty, _t.Cloud.ExecutionOptions);
        Assert.Equal(JsonValue.Parse("""[{"file":"items.json","count":3},{"file":"items.json","count":3},{"file":"items.json","count":1}]"""), result.Output);
        // DescribeMapRun's two counts: child executions (one a batch) and the items they processed.
        var run = Assert.Single(result.MapRuns);
        Assert.Equal((3L, 3L, 0L, 7L, 0L), (run.Total, run.Succeeded, run.Failed, run.ItemsSucceeded, run.ItemsFailed));
    }

    [Fact]
    public async Task ItemBatcher_MaxInputBytes_SplitsBySize()
    {
        await Put("items.json", "[" + string.Join(",", Enumerable.Range(1, 6).Select(i => $"{{\"text\":\"{new string('x', 40)}\"}}")) + "]");
        var definition = """
            {"StartAt":"Map","States":{"Map":{"Type":"Map",
              "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON"},"Parameters":{"Bucket":"data","Key":"items.json"}},
              "ItemBatcher":{"MaxInputBytesPerBatch":120},
              "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED"},"StartAt":"Count","States":{"Count":{"Type":"Pass","Parameters":{"count.$":"States.ArrayLength($.Items)"},"End":true}}},
              "End":true}}}
            """;
        var result = await StateMachine.Parse(definition).RunAsync(JsonObject.Empty, _t.Cloud.ExecutionOptions);
        Assert.Equal(JsonValue.Parse("""[{"count":2},{"count":2},{"count":2}]"""), result.Output);
    }

    [Fact]
    public async Task ItemSelector_ItemsOneAfterAnother_EachBatchedItemKeepsItsOwnValueIndexAndContext()
    {
        // The reader evaluates every item's ItemSelector in one scope it points at each item in turn: no item may end
        // up with another's value, index or $$.Map.Item.
        await Put("items.jsonl", string.Join("\n", Enumerable.Range(0, 7).Select(i => $"{{\"n\":{i * 10}}}")));
        var definition = """
            {"StartAt":"Map","States":{"Map":{"Type":"Map",
              "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSONL"},"Parameters":{"Bucket":"data","Key":"items.jsonl"}},
              "ItemSelector":{"n.$":"$$.Map.Item.Value.n","index.$":"$$.Map.Item.Index","item.$":"$$.Map.Item"},
              "ItemBatcher":{"MaxItemsPerBatch":3},
              "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED"},"StartAt":"Items","States":{"Items":{"Type":"Pass","InputPath":"$.Items","End":true}}},
              "End":true}}}
            """;
        var result = await StateMachine.Parse(definition).RunAsync(JsonObject.Empty, _t.Cloud.ExecutionOptions);
        var items = ((JsonArray)result.Output!).SelectMany(batch => (JsonArray)batch).Cast<JsonObject>().ToList();
        Assert.Equal(7, items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var n = i * 10;
            Assert.Equal(JsonValue.Parse($"{{\"n\":{n},\"index\":{i},\"item\":{{\"Index\":{i},\"Value\":{{\"n\":{n}}}}}}}"), items[i]);
        }
    }

    [Fact]
    public async Task ListObjectsV2_ItemsAreTheObjectsUnderThePrefix()
    {
        await Put("in/a.json", "1");
        await Put("in/b.json", "22");
        await Put("other.json", "3");
        var result = await Run("\"ItemReader\":{\"Resource\":\"arn:aws:states:::s3:listObjectsV2\",\"Parameters\":{\"Bucket\":\"data\",\"Prefix\":\"in/\"}},\"ItemSelector\":{\"key.$\":\"$$.Map.Item.Value.Key\",\"size.$\":\"$$.Map.Item.Value.Size\"}");
        Assert.Equal(JsonValue.Parse("""[{"key":"in/a.json","size":1},{"key":"in/b.json","size":2}]"""), result.Output);
    }

    [Fact]
    public async Task Manifest_ReadsInventoryCsvFiles()
    {
        using (var gz = new MemoryStream())
        {
            await using (var zip = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true))
            {
                await zip.WriteAsync(Encoding.UTF8.GetBytes("\"data\",\"in/a.json\"\n\"data\",\"in/b.json\"\n"));
            }
            gz.Position = 0;
            await _t.Cloud.Buckets.PutObjectAsync("data", "inventory/data.csv.gz", gz, null, S3CreateReason.PutObject, CancellationToken.None);
        }
        await Put("inventory/manifest.json", """{"sourceBucket":"data","destinationBucket":"arn:aws:s3:::data","fileFormat":"CSV","fileSchema":"Bucket, Key","files":[{"key":"inventory/data.csv.gz"}]}""");
        var result = await Run("\"ItemReader\":{\"Resource\":\"arn:aws:states:::s3:getObject\",\"ReaderConfig\":{\"InputType\":\"MANIFEST\"},\"Parameters\":{\"Bucket\":\"data\",\"Key\":\"inventory/manifest.json\"}}");
        Assert.Equal(JsonValue.Parse("""[{"Bucket":"data","Key":"in/a.json"},{"Bucket":"data","Key":"in/b.json"}]"""), result.Output);
    }

    [Fact]
    public async Task MissingObject_FailsWithItemReaderFailed_AndCanBeCaught()
    {
        var result = await Run("\"ItemReader\":{\"Resource\":\"arn:aws:states:::s3:getObject\",\"ReaderConfig\":{\"InputType\":\"JSON\"},\"Parameters\":{\"Bucket\":\"data\",\"Key\":\"missing.json\"}}");
        Assert.Equal(ErrorNames.ItemReaderFailed, result.Error!.Error);
        Assert.Contains("NoSuchKey", result.Error.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResultPathNull_KeepsNoResults_OutputIsTheInput()
    {
        await Put("items.json", "[1,2,3]");
        var result = await Run("\"ItemReader\":{\"Resource\":\"arn:aws:states:::s3:getObject\",\"ReaderConfig\":{\"InputType\":\"JSON\"},\"Parameters\":{\"Bucket\":\"data\",\"Key\":\"items.json\"}},\"ResultPath\":null",
            """{"keep":"me"}""");
        Assert.Equal(JsonValue.Parse("""{"keep":"me"}"""), result.Output);
        Assert.Equal(3, result.MapRuns[0].Succeeded);
    }
}
