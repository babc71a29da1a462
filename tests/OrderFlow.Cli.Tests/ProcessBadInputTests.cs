using System.Globalization;
using System.Text;
using OrderFlow.Json;
using OrderFlow.Local;

namespace OrderFlow.Cli.Tests;

/// <summary>
/// Bad input through the real command: a malformed file is refused whole, naming the file and the position of its
/// first fault, and nothing of it is stored; an order with hostile content is stored or rejected like any other.
/// </summary>
public sealed class ProcessBadInputTests : ProcessTestsBase
{
    private const string Good = """{"order-info":{"OrderId":"G1","item-id":"1","qty":1},"contact-info":{"name":"A","email":"a@example.com"}}""";

    private async Task<string> ProcessFailing(string file, string expectedError)
    {
        var (exit, summary, stderr) = await Process(file);
        Assert.True(exit == 1, stderr);
        var entry = (JsonObject)((JsonArray)summary!["files"]!)[0];
        Assert.Equal(new JsonString("FAILED"), entry["status"]);
        Assert.Equal(new JsonString(file), entry["file"]);
        var error = ((JsonString)entry["error"]!).Value;
        Assert.StartsWith(expectedError + ":", error, StringComparison.Ordinal);
        Assert.Equal(0, await StoredCount());
        Assert.Empty(await RejectedMessages());
        // Refused before it enters the bucket: nothing of it is in the inbox's folder.
        var inbox = Path.Combine(DataDir, "buckets", "orderflow-inbox");
        Assert.Empty(Directory.Exists(inbox) ? Directory.GetFiles(inbox) : []);
        return error;
    }

    [Fact]
    public async Task Process_RefusedFileBesideAGoodOne_SummarySaysNoneOfItsOrdersWasHandled()
    {
        var good = _dir.Write("good.jsonl", Good + "\n");
        var broken = _dir.Write("broken.jsonl", Good + "\n{not json\n");

        var result = await CliProcess.RunAsync(null, "process", good, broken, "--data-dir", DataDir);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{broken}: FAILED OrderFile.Malformed: ", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("orders 1, stored 1, duplicates 0, rejected 0 (not counting the 1 refused file(s), none of whose orders was handled)", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("outcomes are not known", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_EmptyFile_FailsAsEmpty()
    {
        await ProcessFailing(_dir.Write("empty.jsonl", ""), "OrderFile.Empty");
    }

    [Fact]
    public async Task Process_MalformedLineInTheMiddle_FailsNamingTheLineAndStoresNothingBeforeIt()
    {
        var error = await ProcessFailing(_dir.Write("broken.jsonl", Good + "\n{not json\n"), "OrderFile.Malformed");
        Assert.Contains("line 2, column 2: not valid JSON", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_TruncatedJsonDocument_FailsNamingTheLine()
    {
        var error = await ProcessFailing(_dir.Write("cut.json", "[\n" + Good + ",\n" + Good[..40]), "OrderFile.Malformed");
        Assert.Contains("line 3", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_CsvRowWithMissingColumns_FailsNamingTheRow()
    {
        var csv = "OrderId,item-id,qty,contact-name,contact-email\nC1,1,1,Ann,ann@example.com\nC2,1,Bob\n";
        var error = await ProcessFailing(_dir.Write("short.csv", csv), "OrderFile.Malformed");
        Assert.Contains("line 3: 3 field(s), but the header has 5: a column is missing", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_CsvSeparatedBySemicolons_FailsAtTheHeaderInsteadOfRejectingEveryRow()
    {
        // What a spreadsheet in many European locales saves as "CSV".
        var csv = "OrderId;item-id;qty;contact-name;contact-email\nC1;1;1;Ann;ann@example.com\nC2;1;2;Bob;bob@example.com\n";
        var error = await ProcessFailing(_dir.Write("semicolons.csv", csv), "OrderFile.Malformed");
        Assert.Contains("line 1: the header has no OrderId column", error, StringComparison.Ordinal);
        Assert.Contains("it looks separated by ';'", error, StringComparison.Ordinal);
        Assert.Empty(await RejectedMessages());
    }

    [Theory]
    [InlineData("latin1.jsonl", "line 2, column 80: not valid UTF-8")]
    [InlineData("latin1.json", "line 2: a string is not valid UTF-8")]
    [InlineData("latin1.csv", "line 2, column 3: not valid UTF-8")]
    public async Task Process_NonUtf8File_FailsNamingTheLine(string name, string expected)
    {
        // "Zoë" in ISO-8859-1: the ë is the single byte 0xEB.
        var latin1 = Encoding.Latin1;
        var content = name.EndsWith(".csv", StringComparison.Ordinal)
            ? "contact-name,OrderId,item-id,qty,contact-email\nZoë,1,1,1,zoe@example.com\n"
            : name.EndsWith(".json", StringComparison.Ordinal)
                ? "[" + Good + ",\n" + Good.Replace("\"A\"", "\"Zoë\"", StringComparison.Ordinal) + "]"
                : Good + "\n" + Good.Replace("\"A\"", "\"Zoë\"", StringComparison.Ordinal) + "\n";
        var file = _dir.Combine(name);
        await File.WriteAllBytesAsync(file, latin1.GetBytes(content));
        var error = await ProcessFailing(file, "OrderFile.Malformed");
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_Utf16File_FailsSayingSo()
    {
        var file = _dir.Combine("utf16.jsonl");
        await File.WriteAllTextAsync(file, Good + "\n", Encoding.Unicode);
        var error = await ProcessFailing(file, "OrderFile.Malformed");
        Assert.Contains("UTF-16", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_FiftyMegabyteJsonLine_IsRefusedAsTooLargeForAnOrder()
    {
        var file = _dir.Combine("huge.jsonl");
        await File.WriteAllTextAsync(file, Good + "\n" + Good.Replace("\"A\"", "\"" + new string('a', 50 << 20) + "\"", StringComparison.Ordinal) + "\n");
        var error = await ProcessFailing(file, "OrderFile.Malformed");
        Assert.Contains("line 2: 52,428,9", error, StringComparison.Ordinal);
        Assert.Contains("an order may be at most 256 KiB", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_FiftyMegabyteMinifiedJsonOnOneLine_IsProcessedWhole()
    {
        // 1,000 orders of ~52 KB each (a long note the schema allows), the whole array on a single line.
        var note = new string('n', 52_000);
        var file = _dir.Combine("minified.json");
        await using (var writer = new StreamWriter(file))
        {
            await writer.WriteAsync('[');
            for (var i = 0; i < 1_000; i++)
            {
                await writer.WriteAsync((i > 0 ? "," : "") + Good.Replace("\"G1\"", "\"M" + i.ToString(CultureInfo.InvariantCulture) + "\"", StringComparison.Ordinal)
                    .Replace("\"qty\":1", i % 10 == 9 ? "\"qty\":0" : "\"qty\":1", StringComparison.Ordinal)[..^1] + ",\"note\":\"" + note + "\"}");
            }
            await writer.WriteAsync(']');
        }
        Assert.True(new FileInfo(file).Length > 50_000_000);
        var (exit, summary, stderr) = await Process(file);
        Assert.True(exit == 0, stderr);
        AssertCounts(summary, 1_000, 900, 0, 100);
        Assert.Equal(900, await StoredCount());
    }

    [Fact]
    public async Task Process_OrderNestedDeeperThanTheParserAllows_FailsNamingTheLine()
    {
        var deep = Order("deeper", extra: new string('[', 1_500) + new string(']', 1_500));
        var error = await ProcessFailing(_dir.Write("deep.jsonl", Good + "\n" + deep + "\n"), "OrderFile.Malformed");
        Assert.Contains("line 2", error, StringComparison.Ordinal);
        Assert.Contains("depth of 1000", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_UnsupportedFileType_FailsWithClearReason()
    {
        var (exit, summary, _) = await Process(_dir.Write("orders.txt", "hello"));
        Assert.Equal(1, exit);
        Assert.Contains("OrderFile.Unsupported", ((JsonObject)((JsonArray)summary!["files"]!)[0]).ToJsonString(), StringComparison.Ordinal);
        // The pipeline refuses it before its first order: the text summary says none of its orders was handled.
        var text = await CliProcess.RunAsync(null, "process", _dir.Combine("orders.txt"), "--data-dir", DataDir);
        Assert.Contains("(not counting the 1 refused file(s), none of whose orders was handled)", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_JsonObjectWithoutOrders_IsRefusedBeforeItEntersTheBucket()
    {
        var error = await ProcessFailing(_dir.Write("wrong.json", """{"order":[{"order-info":{"OrderId":"W1"}}]}"""), "OrderFile.Unsupported");
        Assert.Contains("this object has no \"orders\" member", error, StringComparison.Ordinal);
    }

    public static TheoryData<string, bool> HostileOrders => new()
    {
        // A name of 100,000 characters: over the schema's 256, so rejected with that reason.
        { Order("long", name: new string('x', 100_000)), false },
        // Control characters, escaped and raw-in-JSON-escape form, in a name: text with a non-space is a valid name.
        { Order("ctrl", name: "A\\u0000B\\u001F\\u0007\\r\\n"), true },
        // Injection-looking text stored verbatim: SQL, script, template, a JSONPath and an intrinsic.
        { Order("inject'; DROP TABLE orders;--", name: "<script>alert(1)</script> {{7*7}} ${jndi:ldap://x} $.order-info States.Format('{}')"), true },
        // An extra member nested 500 levels deep: not part of the stored item, so stored.
        { Order("deep", extra: string.Concat(Enumerable.Repeat("{\"a\":[", 250)) + "1" + string.Concat(Enumerable.Repeat("]}", 250))), true },
        // An OrderId that is only whitespace and one of 129 characters.
        { Order("   "), false },
        { Order(new string('9', 129)), false },
    };

    private static string Order(string id, string name = "A", string extra = "null") =>
        $$"""{"order-info":{"OrderId":"{{id}}","item-id":"1","qty":1},"contact-info":{"name":"{{name}}","email":"a@example.com"},"extra":{{extra}}}""";

    [Theory]
    [MemberData(nameof(HostileOrders))]
    public async Task Process_HostileOrder_IsStoredOrRejectedNeverCrashes(string order, bool stored)
    {
        var (exit, summary, stderr) = await Process(_dir.Write("hostile.jsonl", Good + "\n" + order + "\n"));
        Assert.True(exit == 0, stderr);
        AssertCounts(summary, 2, stored ? 2 : 1, 0, stored ? 0 : 1);
        if (!stored)
        {
            var rejection = Assert.Single(await RejectedMessages());
            Assert.NotEmpty((JsonArray)rejection["reasons"]!);
            Assert.Equal(JsonValue.Parse(order), rejection["order"]);
        }
        else
        {
            await using var cloud = LocalCloud.Open(new LocalCloudOptions { DataDirectory = DataDir });
            var parsed = (JsonObject)JsonValue.Parse(order);
            var id = ((JsonObject)parsed["order-info"]!)["OrderId"]!;
            var got = await cloud.Tables.ExecuteAsync("GetItem", JsonObject.Create([new("TableName", new JsonString("orders")),
                new("Key", JsonObject.Of("OrderId", JsonObject.Of("S", id)))]), CancellationToken.None);
            var item = (JsonObject)got.Value["Item"]!;
            Assert.Equal(((JsonObject)parsed["contact-info"]!)["name"], ((JsonObject)item["contact-name"]!)["S"]);
        }
    }

    [Theory]
    [InlineData("process")]
    [InlineData("orders", "list")]
    [InlineData("executions", "list")]
    public async Task AnyCommand_DataDirectoryDatabaseDamaged_SaysSoInWordsAndExitsOne(params string[] command)
    {
        Directory.CreateDirectory(DataDir);
        File.WriteAllText(Path.Combine(DataDir, "orderflow.db"), "not a database, but a note someone left here\n");
        string[] args = command[0] == "process" ? [.. command, Path.Combine(AppContext.BaseDirectory, "samples", "seed", "orders.json")] : command;

        var result = await CliProcess.RunAsync(null, [.. args, "--data-dir", DataDir]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"Cannot open the data directory {DataDir}: SQLite Error 26: 'file is not a database'. Its database, orderflow.db, is damaged or is not OrderFlow's", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }
}
