using System.Collections.Concurrent;
using OrderFlow.States.Execution;
using OrderFlow.Json;

namespace OrderFlow.States.Mocking;

/// <summary>
/// A mock config in the Step Functions Local format
/// (https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-mock-cfg-file.html):
/// <c>StateMachines → name → TestCases → test case → state name → mocked response name</c>, and
/// <c>MockedResponses → name → "0" | "1-3" → {"Return": ...} | {"Throw": {"Error", "Cause"}}</c>.
/// </summary>
public sealed class MockConfig
{
    private readonly Dictionary<string, Dictionary<string, Dictionary<string, string>>> _machines;
    private readonly Dictionary<string, MockedResponse> _responses;

    private MockConfig(Dictionary<string, Dictionary<string, Dictionary<string, string>>> machines, Dictionary<string, MockedResponse> responses)
    {
        _machines = machines;
        _responses = responses;
    }

    public IEnumerable<string> StateMachineNames => _machines.Keys;

    /// <summary>Parses a mock config; throws <see cref="FormatException"/> listing what is wrong.</summary>
    public static MockConfig Parse(JsonValue json)
    {
        var errors = new List<string>();
        var machines = new Dictionary<string, Dictionary<string, Dictionary<string, string>>>(StringComparer.Ordinal);
        var responses = new Dictionary<string, MockedResponse>(StringComparer.Ordinal);
        if (json is not JsonObject root)
        {
            throw new FormatException("The mock config must be a JSON object with StateMachines and MockedResponses.");
        }
        if (root["MockedResponses"] is JsonObject mocked)
        {
            foreach (var (name, value) in mocked.Members)
            {
                responses[name] = MockedResponse.Parse(name, value, errors);
            }
        }
        else
        {
            errors.Add("MockedResponses: must be an object");
        }
        if (root["StateMachines"] is JsonObject sms)
        {
            foreach (var (smName, sm) in sms.Members)
            {
                var cases = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
                if (sm is JsonObject smObj && smObj["TestCases"] is JsonObject tcs)
                {
                    foreach (var (tcName, tc) in tcs.Members)
                    {
                        var states = new Dictionary<string, string>(StringComparer.Ordinal);
                        foreach (var (state, response) in (tc as JsonObject)?.Members ?? [])
                        {
                            if (response is JsonString { Value: var r } && responses.ContainsKey(r))
                            {
                                states[state] = r;
                            }
                            else
                            {
                                errors.Add($"StateMachines.{smName}.TestCases.{tcName}.{state}: must name one of MockedResponses, not {response.ToJsonString()}");
                            }
                        }
                        cases[tcName] = states;
                    }
                }
                else
                {
                    errors.Add($"StateMachines.{smName}.TestCases: must be an object");
                }
                machines[smName] = cases;
            }
        }
        else
        {
            errors.Add("StateMachines: must be an object");
        }
        if (errors.Count > 0)
        {
            throw new FormatException("The mock config is invalid: " + string.Join("; ", errors));
        }
        return new MockConfig(machines, responses);
    }

    /// <summary>
    /// The mocks of one test case. When <paramref name="stateMachineName"/> is null, the test case is looked up in
    /// every state machine of the config and must be found in exactly one.
    /// </summary>
    public MockedTestCase GetTestCase(string? stateMachineName, string testCase)
    {
        var candidates = _machines
            .Where(m => stateMachineName is null || m.Key == stateMachineName)
            .Where(m => m.Value.ContainsKey(testCase))
            .ToList();
        if (candidates.Count != 1)
        {
            var where = stateMachineName is null ? "any state machine" : $"state machine \"{stateMachineName}\"";
            throw new KeyNotFoundException(candidates.Count == 0
                ? $"Test case \"{testCase}\" is not in {where} of the mock config."
                : $"Test case \"{testCase}\" is in several state machines ({string.Join(", ", candidates.Select(c => c.Key))}); name one.");
        }
        var states = candidates[0].Value[testCase].ToDictionary(kv => kv.Key, kv => _responses[kv.Value], StringComparer.Ordinal);
        return new MockedTestCase(candidates[0].Key, testCase, states);
    }
}

/// <summary>The mocked states of one test case, with a per-state invocation counter (retries count too).</summary>
public sealed class MockedTestCase(string stateMachineName, string name, IReadOnlyDictionary<string, MockedResponse> states)
{
    private readonly ConcurrentDictionary<string, int> _invocations = new(StringComparer.Ordinal);

    public string StateMachineName { get; } = stateMachineName;

    public string Name { get; } = name;

    public bool IsMocked(string stateName) => states.ContainsKey(stateName);

    /// <summary>The next response of a mocked state: the Return value, or the Throw as an error.</summary>
    public Evaluated NextResponse(string stateName)
    {
        var invocation = _invocations.AddOrUpdate(stateName, 0, (_, n) => n + 1);
        return states[stateName].For(invocation, stateName);
    }
}

/// <summary>One mocked response: its answers by invocation number (0-based), single or ranges like "1-3".</summary>
public sealed class MockedResponse
{
    private readonly List<(int From, int To, Evaluated Answer)> _answers;

    private MockedResponse(List<(int From, int To, Evaluated Answer)> answers) => _answers = answers;

    internal static MockedResponse Parse(string name, JsonValue value, List<string> errors)
    {
        var answers = new List<(int, int, Evaluated)>();
        foreach (var (key, answer) in (value as JsonObject)?.Members ?? [])
        {
            var at = $"MockedResponses.{name}.{key}";
            var range = key.Split('-');
            if (range.Length is < 1 or > 2 || !int.TryParse(range[0], out var from) || from < 0
                || !int.TryParse(range[^1], out var to) || to < from)
            {
                errors.Add($"{at}: must be an invocation number like \"0\" or a range like \"1-3\"");
                continue;
            }
            if (answer is JsonObject a && a["Return"] is { } ret && a.Count == 1)
            {
                answers.Add((from, to, Evaluated.Ok(ret)));
            }
            else if (answer is JsonObject t && t["Throw"] is JsonObject thr && t.Count == 1 && thr["Error"] is JsonString err)
            {
                answers.Add((from, to, Evaluated.Fail(err.Value, (thr["Cause"] as JsonString)?.Value ?? string.Empty)));
            }
            else
            {
                errors.Add($"{at}: must be {{\"Return\": value}} or {{\"Throw\": {{\"Error\": \"...\", \"Cause\": \"...\"}}}}");
            }
        }
        return new MockedResponse(answers);
    }

    internal Evaluated For(int invocation, string stateName)
    {
        foreach (var (from, to, answer) in _answers)
        {
            if (invocation >= from && invocation <= to)
            {
                return answer;
            }
        }
        return StatesError.Runtime($"The mock config has no response for invocation {invocation} of state \"{stateName}\"");
    }
}
