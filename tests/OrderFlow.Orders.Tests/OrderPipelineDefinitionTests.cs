using System.Buffers;
using System.Text;
using OrderFlow.Json;

namespace OrderFlow.Orders.Tests;

/// <summary>
/// The pipeline reads four file shapes with four Distributed Maps whose item processors States Language cannot share:
/// they must stay the same states, named with their shape's suffix, so that a change made to one is made to all.
/// </summary>
public class OrderPipelineDefinitionTests
{
    private static JsonObject Definition() =>
        (JsonObject)JsonValue.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "definitions", "order-pipeline.asl.json")));

    /// <summary>Every Map that reads the file, with the suffix of its states: the last word of its name ("Document" for "Orders JSON Document").</summary>
    private static List<(string Suffix, JsonObject Map)> FileMaps() =>
        [.. ((JsonObject)Definition()["States"]!).Members
            .Where(m => m.Value is JsonObject s && s["ItemReader"] is not null)
            .Select(m => (m.Key[(m.Key.LastIndexOf(' ') + 1)..], (JsonObject)m.Value))];

    /// <summary>The Map with its shape taken out: suffixes dropped from names, no reader configuration, no label.</summary>
    private static string Shapeless(JsonObject map, string suffix)
    {
        var reader = ((JsonObject)map["ItemReader"]!).SetItem("ReaderConfig", JsonObject.Empty);
        var general = Unsuffixed(map.SetItem("ItemReader", reader).SetItem("Label", JsonString.Empty), " " + suffix);
        var text = new ArrayBufferWriter<byte>();
        general.WriteCanonicalJsonText(text);
        return Encoding.UTF8.GetString(text.WrittenSpan);
    }

    private static JsonValue Unsuffixed(JsonValue value, string suffix) => value switch
    {
        JsonObject o => JsonObject.Create(o.Members.Select(m => new KeyValuePair<string, JsonValue>(Strip(m.Key, suffix), Unsuffixed(m.Value, suffix)))),
        JsonArray a => new JsonArray([.. a.Select(v => Unsuffixed(v, suffix))]),
        JsonString s => new JsonString(Strip(s.Value, suffix)),
        _ => value,
    };

    private static string Strip(string text, string suffix) => text.EndsWith(suffix, StringComparison.Ordinal) ? text[..^suffix.Length] : text;

    [Fact]
    public void FileMaps_EveryShape_OneEach()
    {
        Assert.Equal(["JSONL", "CSV", "Document", "Array"], FileMaps().Select(m => m.Suffix));
    }

    [Fact]
    public void FileMaps_AllFour_SameStatesButTheirReader()
    {
        var maps = FileMaps();
        var first = Shapeless(maps[0].Map, maps[0].Suffix);

        foreach (var (suffix, map) in maps.Skip(1))
        {
            var other = Shapeless(map, suffix);
            Assert.True(first == other, $"The {suffix} Map differs from the {maps[0].Suffix} Map (beyond its reader) at: {FirstDifference(first, other)}");
        }
    }

    private static string FirstDifference(string a, string b)
    {
        var at = a.AsSpan().CommonPrefixLength(b);
        string Around(string text) => text[Math.Max(0, at - 60)..Math.Min(text.Length, at + 60)];
        return $"...{Around(a)}... against ...{Around(b)}...";
    }

    [Fact]
    public void FileMaps_EveryState_NamedWithItsShape()
    {
        foreach (var (suffix, map) in FileMaps())
        {
            var names = StateNames((JsonObject)map["ItemProcessor"]!).ToList();

            Assert.NotEmpty(names);
            Assert.All(names, name => Assert.EndsWith(" " + suffix, name, StringComparison.Ordinal));
        }
    }

    /// <summary>
    /// A batch's new orders are stored right after its validation, before its rejections are looked up, sent and
    /// recorded (the items are then fresh in memory: docs/performance.md), then left behind, and a batch with nothing
    /// left to handle alone ends without the one-at-a-time Map.
    /// </summary>
    [Fact]
    public void FileMaps_BatchStates_StoreBeforeRejectingAndSkipTheEmptyLists()
    {
        foreach (var (suffix, map) in FileMaps())
        {
            var states = (JsonObject)((JsonObject)map["ItemProcessor"]!)["States"]!;
            string Next(string name) => ((JsonString)((JsonObject)states[$"{name} {suffix}"]!)["Next"]!).Value;

            Assert.Equal($"Any Valid {suffix}", Next("Validate Batch"));
            Assert.Equal($"Any Rejects {suffix}", Next("Stored Batch"));
            Assert.Equal($"Any Rejects {suffix}", Next("Store One By One"));
            Assert.Equal($"Any Rejects {suffix}", Next("None Valid"));
            foreach (var after in new[] { "Stored Batch", "Store One By One", "None Valid" })
            {
                // Every way past the store leaves the same slim state: no writes, and the valid orders only as the ones to store again.
                var kept = ((JsonObject)((JsonObject)states[$"{after} {suffix}"]!)["Parameters"]!).Names.ToList();
                Assert.DoesNotContain("valid.$", kept);
                Assert.DoesNotContain("puts.$", kept);
                Assert.Contains("batchStore", kept);
            }
            Assert.Equal($"Batch Lists {suffix}", Next("Rejections Done"));
            var lists = (JsonObject)states[$"Batch Lists {suffix}"]!;
            Assert.Equal($"Batch Stored {suffix}", ((JsonString)lists["Default"]!).Value);
            Assert.Equal(JsonValue.True, ((JsonObject)states[$"Batch Stored {suffix}"]!)["End"]);
        }
    }

    private static IEnumerable<string> StateNames(JsonObject machine)
    {
        foreach (var (name, state) in ((JsonObject)machine["States"]!).Members)
        {
            yield return name;
            if (state is JsonObject { } s && (s["ItemProcessor"] ?? s["Iterator"]) is JsonObject inner)
            {
                foreach (var innerName in StateNames(inner))
                {
                    yield return innerName;
                }
            }
        }
    }
}
