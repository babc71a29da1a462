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

    /// <summary>
    /// In the scope of one Map item: its index and value, the <c>$$.Map.Item.Index</c> and <c>$$.Map.Item.Value</c> of
    /// <see cref="Context"/>, given without building the context object (an ItemSelector reads them once per item).
    /// </summary>
    bool TryGetMapItem(out long index, out JsonValue value)
    {
        index = 0;
        value = JsonValue.Null;
        return false;
    }
}

/// <summary>The roots a path or template is evaluated against.</summary>
public readonly record struct PathRoots(JsonValue Input, IEvaluationScope? Scope)
{
    public static PathRoots InputOnly(JsonValue input) => new(input, null);
}
