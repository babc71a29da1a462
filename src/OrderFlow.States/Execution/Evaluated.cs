using OrderFlow.Json;

namespace OrderFlow.States.Execution;

/// <summary>A value or the error that prevented it: the engine's Outcome type for data processing.</summary>
public readonly struct Evaluated
{
    private Evaluated(JsonValue? value, StatesError? error)
    {
        Value = value!;
        Error = error;
    }

    public JsonValue Value { get; }

    public StatesError? Error { get; }

    public bool Failed => Error is not null;

    public static Evaluated Ok(JsonValue value) => new(value, null);

    public static Evaluated Fail(StatesError error) => new(null, error);

    public static Evaluated Fail(string error, string cause) => new(null, new StatesError(error, cause));

    public static implicit operator Evaluated(JsonValue value) => Ok(value);

    public static implicit operator Evaluated(StatesError error) => Fail(error);
}
