using System.CommandLine;
using System.Globalization;
using OrderFlow.Json;
using OrderFlow.Local;

namespace OrderFlow.Cli.Commands;

/// <summary><c>orderflow executions list|show</c>: the stored executions of the data directory.</summary>
internal static class ExecutionCommands
{
    public static Command Create()
    {
        var executions = new Command("executions", "The executions stored in the data directory.");
        executions.Subcommands.Add(CreateList());
        executions.Subcommands.Add(CreateShow());
        return executions;
    }

    private static Command CreateList()
    {
        var machine = new Option<string?>("--state-machine") { Description = "Only this state machine's executions." };
        var status = new Option<string?>("--status")
        {
            Description = "Only executions in this status (in any case), as ListExecutions' --status-filter.",
            HelpName = string.Join('|', Statuses),
        };
        CliHost.Require(status, s => s is null || Statuses.Contains(s.ToUpperInvariant()), $"--status must be one of {string.Join(", ", Statuses)}.");
        var limit = new Option<int>("--limit") { Description = "Most executions to list, the newest. Default: 100.", DefaultValueFactory = _ => 100 };
        CliHost.Require(limit, n => n >= 1, "--limit must be at least 1.");
        var json = CliHost.JsonLinesOption("execution: name, executionArn, stateMachine, status, startDate, stopDate (as ListExecutions gives them)");
        var dataDir = CliHost.DataDirOption();
        var list = new Command("list", "List executions, newest first: status, start, duration, name.") { machine, status, limit, json, dataDir };
        list.SetAction(async (parse, ct) =>
        {
            await using var cloud = CliHost.OpenCloud(parse.GetValue(dataDir));
            var most = parse.GetValue(limit);
            var found = cloud.StateMachines.ListExecutions(parse.GetValue(machine), parse.GetValue(status)?.ToUpperInvariant(), most + 1);
            var records = found.Take(most).ToList();
            var asJson = parse.GetValue(json);
            foreach (var r in records)
            {
                if (asJson)
                {
                    var entry = new JsonObjectBuilder(6).Set("name", r.Name).Set("executionArn", r.ExecutionArn).Set("stateMachine", r.StateMachine)
                        .Set("status", r.Status).Set("startDate", r.StartDate.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
                    if (r.StopDate is { } stopped)
                    {
                        entry.Set("stopDate", stopped.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
                    }
                    await Console.Out.WriteLineAsync(entry.Build().ToJsonString());
                    continue;
                }
                var duration = r.StopDate is { } stop ? $"{(stop - r.StartDate).TotalSeconds,8:F3} s" : r.Status == "RUNNING" ? "running   " : "unknown   ";
                await Console.Out.WriteLineAsync($"{r.Status,-10} {r.StartDate.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}  {duration}  {r.StateMachine}  {r.Name}");
            }
            await (asJson ? Console.Error : Console.Out).WriteLineAsync($"{records.Count} execution(s)" + (found.Count > most ? " (more: raise --limit)" : string.Empty));
            return CliHost.Ok;
        });
        return list;
    }

    private static readonly string[] Statuses = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"];

    private static Command CreateShow()
    {
        var id = new Argument<string>("execution") { Description = "The execution's name or ARN." };
        var json = new Option<bool>("--json") { Description = "Print the execution, its Map runs and its history as one JSON object." };
        var dataDir = CliHost.DataDirOption();
        var show = new Command("show", "Show an execution: status, timing, error, Map runs with item counts, and each state's history.") { id, json, dataDir };
        show.SetAction(async (parse, ct) =>
        {
            await using var cloud = CliHost.OpenCloud(parse.GetValue(dataDir));
            var found = cloud.StateMachines.Describe(parse.GetValue(id)!);
            if (found is not { } e)
            {
                await Console.Error.WriteLineAsync($"No execution named {parse.GetValue(id)} in {cloud.DataDirectory}");
                return CliHost.Failed;
            }
            if (parse.GetValue(json))
            {
                var builder = new JsonObjectBuilder(8).Set("executionArn", e.Record.ExecutionArn).Set("stateMachine", e.Record.StateMachine)
                    .Set("name", e.Record.Name).Set("status", e.Record.Status)
                    .Set("startDate", e.Record.StartDate.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
                if (e.Record.StopDate is { } stop)
                {
                    builder.Set("stopDate", stop.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
                }
                if (e.Record.Error is not null)
                {
                    builder.Set("error", e.Record.Error).Set("cause", e.Record.Cause is null ? JsonValue.Null : new JsonString(e.Record.Cause));
                }
                builder.Set("output", e.Output ?? JsonValue.Null).Set("mapRuns", e.MapRuns).Set("events", e.History);
                await Console.Out.WriteLineAsync(builder.Build().ToIndentedJsonString());
                return CliHost.Ok;
            }
            await Console.Out.WriteLineAsync($"{e.Record.ExecutionArn}");
            await Console.Out.WriteLineAsync($"  status   {e.Record.Status}{(e.Record.Error is null ? string.Empty : $"  {e.Record.Error}: {e.Record.Cause}")}");
            await Console.Out.WriteLineAsync($"  started  {e.Record.StartDate.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)}");
            if (e.Record.StopDate is { } stopped)
            {
                await Console.Out.WriteLineAsync($"  stopped  {stopped.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)} ({(stopped - e.Record.StartDate).TotalSeconds:F3} s)");
            }
            foreach (var run in e.MapRuns.Cast<JsonObject>())
            {
                // Runs recorded before item counts were kept have only the child executions' counts.
                var items = run["items"] is JsonObject i ? $"; {Text(i, "total")} items: {Text(i, "succeeded")} succeeded, {Text(i, "failed")} failed" : string.Empty;
                await Console.Out.WriteLineAsync($"  map run  {Text(run, "state")} {Text(run, "status")}: {Text(run, "total")} child executions: {Text(run, "succeeded")} succeeded, {Text(run, "failed")} failed, {Text(run, "pending")} pending{items}");
            }
            foreach (var evt in e.History.Cast<JsonObject>())
            {
                var details = evt.Members.FirstOrDefault(m => m.Key.EndsWith("EventDetails", StringComparison.Ordinal)).Value as JsonObject;
                var name = details?["name"] is JsonString n ? n.Value : string.Empty;
                var error = details?["error"] is JsonString err ? $" {err.Value}" : string.Empty;
                await Console.Out.WriteLineAsync($"  {Text(evt, "id"),5} {Text(evt, "timestamp")} {Text(evt, "type")} {name}{error}");
            }
            return CliHost.Ok;
        });
        return show;
    }

    private static string Text(JsonObject o, string field) => o[field] switch
    {
        JsonString s => s.Value,
        null => string.Empty,
        var v => v.ToJsonString(),
    };
}
