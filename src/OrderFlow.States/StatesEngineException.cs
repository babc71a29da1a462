namespace OrderFlow.States;

/// <summary>Raised when the engine itself is misused or broken; never for a workflow failure.</summary>
public sealed class StatesEngineException(string message) : Exception(message)
{
    public static StatesEngineException Bug(string message) => new($"OrderFlow.States internal error: {message}");
}
