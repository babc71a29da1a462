using System.Diagnostics;
using System.Globalization;
using System.Text;
using OrderFlow.Events.Patterns;
using OrderFlow.Events.Rules;
using OrderFlow.Events.S3;
using OrderFlow.Json;

namespace OrderFlow.Bench;

/// <summary>Event-pattern matching throughput: 5 rules of one operator type against events of about 1 KB, one core.</summary>
internal static class EventBenchmarks
{
    private const int EventCount = 2_000;

    private static readonly (string Name, Func<int, string> Rule)[] Operators =
    [
        ("exact", i => $$$$"""{"source":["aws.s3"],"detail":{"bucket":{"name":["orders-{{{{i}}}}"]}}}"""),
        ("prefix", i => $$$$"""{"detail":{"object":{"key":[{"prefix":"incoming/{{{{i}}}}/"}]}}}"""),
        ("suffix", i => $$$$"""{"detail":{"object":{"key":[{"suffix":".part{{{{i}}}}.json"}]}}}"""),
        ("equals-ignore-case", i => $$$$"""{"detail":{"bucket":{"name":[{"equals-ignore-case":"ORDERS-{{{{i}}}}"}]}}}"""),
        ("wildcard", i => $$$$"""{"detail":{"object":{"key":[{"wildcard":"incoming/*/orders-{{{{i}}}}*.json"}]}}}"""),
        ("numeric", i => $$$$"""{"detail":{"object":{"size":[{"numeric":[">",{{{{i * 1000}}}},"<=",{{{{(i + 1) * 1000}}}}]}]}}}"""),
        ("anything-but", i => $$$$"""{"detail":{"reason":[{"anything-but":["CopyObject","Reason{{{{i}}}}"]}]}}"""),
        ("exists", i => $$$$"""{"detail":{"extra{{{{i}}}}":[{"exists":true}]}}"""),
        ("cidr", i => $$$$"""{"detail":{"source-ip-address":[{"cidr":"10.{{{{i}}}}.0.0/16"}]}}"""),
    ];

    public static void Run()
    {
        var events = Events();
        var texts = events.Select(e => Encoding.UTF8.GetBytes(e.ToJsonString())).ToArray();
        Console.WriteLine($"events: {EventCount:N0} distinct events of {texts.Average(t => t.Length):N0} bytes on average; 5 rules per operator type");
        // Let tiered compilation settle on the parser and matcher before anything is timed.
        var warmUp = Enumerable.Range(0, 5).Select(i => EventPattern.Parse(Operators[0].Rule(i))).ToArray();
        for (var round = 0; round < 3; round++)
        {
            MeasureWithParse(texts, warmUp);
        }
        foreach (var (name, rule) in Operators)
        {
            var patterns = Enumerable.Range(0, 5).Select(i => EventPattern.Parse(rule(i))).ToArray();
            var (rate, matches) = Measure(events, patterns);
            var parseRate = MeasureWithParse(texts, patterns);
            Console.WriteLine($"  {name,-20} {rate,12:N0} events/s match only {parseRate,12:N0} events/s parse+match   ({matches:N0} matches per pass)");
        }
        ManyRules(events);
    }

    private static (double Rate, int Matches) Measure(JsonObject[] events, EventPattern[] patterns)
    {
        var matches = Pass(events, patterns); // warm-up
        var passes = 0;
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.ElapsedMilliseconds < 500)
        {
            Pass(events, patterns);
            passes++;
        }
        return (passes * (double)events.Length / stopwatch.Elapsed.TotalSeconds, matches);
    }

    private static int Pass(JsonObject[] events, EventPattern[] patterns)
    {
        var matches = 0;
        foreach (var evt in events)
        {
            foreach (var pattern in patterns)
            {
                if (pattern.Matches(evt))
                {
                    matches++;
                }
            }
        }
        return matches;
    }

    private static double MeasureWithParse(byte[][] texts, EventPattern[] patterns)
    {
        var warmUp = Stopwatch.StartNew();
        while (warmUp.ElapsedMilliseconds < 300)
        {
            foreach (var text in texts)
            {
                JsonValue.Parse(text);
            }
        }
        var count = 0;
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.ElapsedMilliseconds < 500)
        {
            foreach (var text in texts)
            {
                var evt = JsonValue.Parse(text);
                foreach (var pattern in patterns)
                {
                    pattern.Matches(evt);
                }
                count++;
            }
        }
        return count / stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>1,000 rules keyed by source plus 5 unkeyed ones, against one event: the index keeps the cost near that of 5 rules.</summary>
    private static void ManyRules(JsonObject[] events)
    {
        var set = new EventRuleSet<int>();
        for (var i = 0; i < 1_000; i++)
        {
            set.Add(i, EventPattern.Parse($$$$"""{"source":["app.{{{{i}}}}"],"detail":{"object":{"size":[{"numeric":[">",{{{{i}}}}]}]}}}"""));
        }
        for (var i = 0; i < 5; i++)
        {
            set.Add(1_000 + i, EventPattern.Parse(Operators[1].Rule(i)));
        }
        var count = 0;
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.ElapsedMilliseconds < 1_000)
        {
            foreach (var evt in events)
            {
                set.Match(evt);
                count++;
            }
        }
        Console.WriteLine($"  {"1,005 rules (indexed)",-20} {count / stopwatch.Elapsed.TotalSeconds,12:N0} events/s against the whole rule set");
    }

    private static JsonObject[] Events()
    {
        var events = new JsonObject[EventCount];
        var reasons = new[] { S3CreateReason.PutObject, S3CreateReason.CopyObject, S3CreateReason.CompleteMultipartUpload };
        for (var i = 0; i < EventCount; i++)
        {
            var context = new S3EventContext
            {
                Id = $"00000000-0000-4000-8000-{i:D12}",
                Time = new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero).AddSeconds(i),
                SourceIpAddress = $"10.{i % 8}.{i % 250}.{i % 200}",
            };
            var evt = S3Events.ObjectCreated($"orders-{i % 7}", $"incoming/{i % 6}/orders-{i % 9}-{i}.part{i % 5}.json",
                (i * 37) % 7_000, $"{i:x32}", S3Events.Sequencer(i), reasons[i % 3], context);
            // Pad the detail to about 1 KB with fields a real producer adds.
            var detail = (JsonObject)evt["detail"]!;
            for (var f = 0; f < 8; f++)
            {
                detail = detail.SetItem($"extra{(i + f) % 9}", new JsonString(new string((char)('a' + f), 40)));
            }
            detail = detail.SetItem("tags", new JsonArray([new JsonString("team:orders"), new JsonString("env:" + (i % 2 == 0 ? "prod" : "test"))]));
            detail = detail.SetItem("batch", JsonNumber.FromInt64(i / 100));
            events[i] = evt.SetItem("detail", detail).SetItem("trace", new JsonString(i.ToString("x64", CultureInfo.InvariantCulture)));
        }
        return events;
    }
}
