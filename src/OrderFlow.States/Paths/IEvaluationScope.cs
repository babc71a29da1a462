using OrderFlow.Json;

namespace OrderFlow.States.Paths;

/// <summary>What a path may read besides the state's input: the context object (<c>$$</c>) and workflow variables.</summary>
public interface IEvaluationScope
{
    /// <summary>The context object, built on demand (most states never read it).</summary>
    JsonValue Context { get; }

    bool TryGetVariable(string name, out JsonValue value);

    /// <summary>Randomness for intrinsics (States.UUID, States.MathRandom).</summary>
    Execution.IRandomSource Random { get; }
}

/// <summary>The roots a path or template is evaluated against.</summary>
public readonly record struct PathRoots(JsonValue Input, IEvaluationScope? Scope)
{
    public static PathRoots InputOnly(JsonValue input) => new(input, null);
}
