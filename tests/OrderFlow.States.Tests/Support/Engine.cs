using OrderFlow.States.Execution;
using OrderFlow.Json;
using OrderFlow.States.Model;
using OrderFlow.States.Tasks;

namespace OrderFlow.States.Tests.Support;

/// <summary>Helpers to parse and run definitions in tests.</summary>
internal static class Engine
{
    public static JsonValue J(string json) => JsonValue.Parse(json);

    /// <summary>
    /// Parses a definition. One written without double quotes uses single quotes for readability and is converted;
    /// one that has double quotes (because an intrinsic needs single-quoted strings) is taken as it is.
    /// </summary>
    public static StateMachine Machine(string definition) =>
        StateMachine.Parse(definition.Contains('"') ? definition : definition.Replace('\'', '"'));

    public static Task<ExecutionResult> RunAsync(string definition, string input = "{}", ExecutionOptions? options = null) =>
        Machine(definition).RunAsync(J(input), options ?? new ExecutionOptions { WaitTimeScale = 0 });

    /// <summary>Wraps one state as a whole machine: {"StartAt":"S","States":{"S": state}}.</summary>
    public static string Single(string state) => $"{{'StartAt':'S','States':{{'S':{state}}}}}";

    public static async Task<JsonValue> OutputAsync(string definition, string input = "{}", ExecutionOptions? options = null)
    {
        var result = await RunAsync(definition, input, options);
        Assert.True(result.Status == ExecutionStatus.Succeeded, $"expected success, got {result.Error}");
        return result.Output!;
    }

    public static async Task<StatesError> ErrorAsync(string definition, string input = "{}", ExecutionOptions? options = null)
    {
        var result = await RunAsync(definition, input, options);
        Assert.Equal(ExecutionStatus.Failed, result.Status);
        return result.Error!;
    }

    public static void JsonEqual(string expected, JsonValue actual) =>
        Assert.True(J(expected).Equals(actual), $"expected {J(expected).ToJsonString()} but got {actual.ToJsonString()}");

    public static ExecutionOptions WithHandler(string resource, Func<TaskInvocation, Evaluated> handler, ExecutionOptions? options = null)
    {
        var registry = (options?.Handlers ?? new TaskHandlerRegistry()).Register(resource, (inv, _) => ValueTask.FromResult(handler(inv)));
        return (options ?? new ExecutionOptions { WaitTimeScale = 0 }) with { Handlers = registry };
    }
}
