using System.CommandLine;
using OrderFlow.States.Execution;
using OrderFlow.Json;
using OrderFlow.States.Mocking;
using OrderFlow.States.Model;

namespace OrderFlow.Cli.Commands;

/// <summary><c>orderflow states validate|run</c>: check and run a States Language definition.</summary>
internal static class StatesCommands
{
    public static Command Create()
    {
        var states = new Command("states", "Validate and run Amazon States Language definitions (JSONPath) on the local engine.");
        states.Subcommands.Add(CreateValidate());
        states.Subcommands.Add(CreateRun());
        return states;
    }

    private static Command CreateValidate()
    {
        var definition = new Argument<string>("definition") { Description = "The definition file (*.asl.json)." };
        var command = new Command("validate", "Check a definition; exit 0 when valid, 2 listing every problem.") { definition };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(definition)!;
            var text = await CliHost.ReadTextAsync(path, "definition", ct);
            if (text is null)
            {
                return CliHost.Invalid;
            }
            if (StateMachine.TryParse(text, out _, out var problems))
            {
                await Console.Out.WriteLineAsync($"{path}: valid");
                return CliHost.Ok;
            }
            await Console.Error.WriteLineAsync($"{path}: {problems.Count} problem(s)");
            foreach (var problem in problems)
            {
                await Console.Error.WriteLineAsync($"  {problem}");
            }
            return CliHost.Invalid;
        });
        return command;
    }

    private static Command CreateRun()
    {
        var definition = new Option<string>("--definition") { Description = "The definition file (*.asl.json).", Required = true };
        var input = new Option<string?>("--input") { Description = "Execution input: a JSON file, or - for standard input. Default: {}." };
        var mockConfig = new Option<string?>("--mock-config") { Description = "Mocked task responses, in the Step Functions Local MockConfigFile format." };
        var testCase = new Option<string?>("--test-case") { Description = "The test case of the mock config to use." };
        var machineName = new Option<string?>("--state-machine") { Description = "State machine name in the mock config (needed only when the test case name is ambiguous)." };
        var history = new Option<bool>("--history") { Description = "Include the execution history (GetExecutionHistory events) in the output." };
        var waitScale = new Option<double>("--wait-scale")
        {
            Description = "Scale every real wait (Wait states, retry intervals): 1 waits as AWS would, 0 skips waits.",
            DefaultValueFactory = _ => 1.0,
        };
        var command = new Command("run", "Run a definition once and print {\"status\",\"output\"} or {\"status\",\"error\",\"cause\"} as one JSON object.")
        {
            definition, input, mockConfig, testCase, machineName, history, waitScale,
        };
        command.SetAction(async (parse, ct) =>
        {
            var request = new RunRequest(parse.GetValue(definition)!, parse.GetValue(input), parse.GetValue(mockConfig),
                parse.GetValue(testCase), parse.GetValue(machineName), parse.GetValue(history), parse.GetValue(waitScale));
            return await RunAsync(request, ct);
        });
        return command;
    }

    private sealed record RunRequest(string Definition, string? Input, string? MockConfig, string? TestCase, string? StateMachine, bool History, double WaitScale);

    private static async Task<int> RunAsync(RunRequest request, CancellationToken cancellationToken)
    {
        if ((request.MockConfig is null) != (request.TestCase is null))
        {
            await Console.Error.WriteLineAsync("--mock-config and --test-case go together: give both or neither.");
            return CliHost.Invalid;
        }
        if (request.WaitScale < 0 || double.IsNaN(request.WaitScale))
        {
            await Console.Error.WriteLineAsync("--wait-scale must be 0 or more.");
            return CliHost.Invalid;
        }
        var definitionText = await CliHost.ReadTextAsync(request.Definition, "definition", cancellationToken);
        if (definitionText is null)
        {
            return CliHost.Invalid;
        }
        if (!StateMachine.TryParse(definitionText, out var machine, out var problems))
        {
            await Console.Error.WriteLineAsync($"{request.Definition}: {problems.Count} problem(s)");
            foreach (var problem in problems)
            {
                await Console.Error.WriteLineAsync($"  {problem}");
            }
            return CliHost.Invalid;
        }
        var input = await ReadJsonAsync(request.Input, "input", cancellationToken);
        if (input is null)
        {
            return CliHost.Invalid;
        }
        var options = new ExecutionOptions { RecordHistory = request.History, WaitTimeScale = request.WaitScale };
        if (request.MockConfig is not null)
        {
            var mockJson = await ReadJsonAsync(request.MockConfig, "mock config", cancellationToken);
            if (mockJson is null)
            {
                return CliHost.Invalid;
            }
            try
            {
                var mocks = MockConfig.Parse(mockJson).GetTestCase(request.StateMachine, request.TestCase!);
                options = options with { Mocks = mocks, StateMachineName = mocks.StateMachineName };
            }
            catch (Exception ex) when (ex is FormatException or KeyNotFoundException)
            {
                await Console.Error.WriteLineAsync(ex.Message);
                return CliHost.Invalid;
            }
        }
        var result = await machine.RunAsync(input, options, cancellationToken);
        await Console.Out.WriteLineAsync(RunOutput.Format(result, request.History).ToJsonString());
        return result.Status == ExecutionStatus.Succeeded ? CliHost.Ok : CliHost.Failed;
    }

    private static async Task<JsonValue?> ReadJsonAsync(string? path, string what, CancellationToken cancellationToken)
    {
        if (path is null)
        {
            return JsonObject.Empty;
        }
        var text = await CliHost.ReadTextAsync(path, what, cancellationToken);
        if (text is null)
        {
            return null;
        }
        try
        {
            return JsonValue.Parse(text);
        }
        catch (JsonParseException ex)
        {
            await Console.Error.WriteLineAsync($"The {what} '{path}' is not valid JSON. {ex.Message}");
            return null;
        }
    }
}

/// <summary>The one JSON object <c>states run</c> prints.</summary>
internal static class RunOutput
{
    public static JsonObject Format(ExecutionResult result, bool withHistory)
    {
        var builder = new JsonObjectBuilder(4).Set("status", result.StatusText);
        if (result.Status == ExecutionStatus.Succeeded)
        {
            builder.Set("output", result.Output!);
        }
        else
        {
            builder.Set("error", result.Error?.Error ?? string.Empty);
            builder.Set("cause", result.Error?.Cause is { } cause ? new JsonString(cause) : JsonValue.Null);
        }
        if (withHistory)
        {
            builder.Set("events", new JsonArray(result.History.Select(e => (JsonValue)e.ToJson()).ToArray()));
        }
        return builder.Build();
    }
}
