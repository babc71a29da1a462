using System.CommandLine;
using OrderFlow.Events.Patterns;
using OrderFlow.Json;

namespace OrderFlow.Cli.Commands;

/// <summary><c>orderflow events test-pattern</c>: the local counterpart of <c>aws events test-event-pattern</c>.</summary>
internal static class EventsCommands
{
    public static Command Create()
    {
        var events = new Command("events", "EventBridge event patterns, matched as EventBridge matches them.");
        var pattern = new Option<string>("--pattern") { Description = "The event pattern file (*.rule.json), or - for standard input.", Required = true };
        var evt = new Option<string>("--event") { Description = "The event file, or - for standard input.", Required = true };
        var test = new Command("test-pattern", "Print {\"Result\":true} when the event matches the pattern, {\"Result\":false} otherwise; exit 2 on an invalid pattern.")
        {
            pattern, evt,
        };
        test.SetAction(async (parse, ct) => await TestAsync(parse.GetValue(pattern)!, parse.GetValue(evt)!, ct));
        events.Subcommands.Add(test);
        return events;
    }

    private static async Task<int> TestAsync(string patternPath, string eventPath, CancellationToken cancellationToken)
    {
        if (patternPath == "-" && eventPath == "-")
        {
            await Console.Error.WriteLineAsync("Only one of --pattern and --event can read standard input.");
            return CliHost.Invalid;
        }
        var patternText = await CliHost.ReadTextAsync(patternPath, "pattern", cancellationToken);
        var eventText = patternText is null ? null : await CliHost.ReadTextAsync(eventPath, "event", cancellationToken);
        if (patternText is null || eventText is null)
        {
            return CliHost.Invalid;
        }
        if (!EventPattern.TryParse(patternText, out var compiled, out var error))
        {
            await Console.Error.WriteLineAsync(error);
            return CliHost.Invalid;
        }
        JsonValue evt;
        try
        {
            evt = JsonValue.Parse(eventText);
        }
        catch (JsonParseException ex)
        {
            await Console.Error.WriteLineAsync($"The event '{eventPath}' is not valid JSON. {ex.Message}");
            return CliHost.Invalid;
        }
        if (evt is not JsonObject)
        {
            await Console.Error.WriteLineAsync($"The event '{eventPath}' must be a JSON object, not {evt.KindName}.");
            return CliHost.Invalid;
        }
        var result = new JsonObjectBuilder(1).Set("Result", compiled.Matches(evt)).Build();
        await Console.Out.WriteLineAsync(result.ToJsonString());
        return CliHost.Ok;
    }
}
