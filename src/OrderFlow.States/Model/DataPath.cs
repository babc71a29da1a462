using OrderFlow.States.Execution;
using OrderFlow.Json;
using OrderFlow.States.Paths;

namespace OrderFlow.States.Model;

/// <summary>
/// InputPath or OutputPath: absent means <c>$</c> (pass everything), <c>null</c> means discard (the value becomes <c>{}</c>)
/// (https://states-language.net/spec.html#filters).
/// </summary>
public sealed class DataPath
{
    public static readonly DataPath Identity = new(null, false);
    public static readonly DataPath Discard = new(null, true);

    private DataPath(JsonPath? path, bool discard)
    {
        Path = path;
        IsDiscard = discard;
    }

    public JsonPath? Path { get; }

    public bool IsDiscard { get; }

    public static DataPath Of(JsonPath path) => path.IsRootOnly ? Identity : new DataPath(path, false);

    /// <summary>Applies the path; a path that selects nothing is States.Runtime, which no Catch intercepts.</summary>
    public Evaluated Apply(JsonValue value, IEvaluationScope? scope, string fieldName)
    {
        if (IsDiscard)
        {
            return JsonObject.Empty;
        }
        if (Path is null)
        {
            return value;
        }
        return Path.TryEvaluate(new PathRoots(value, scope), out var selected)
            ? selected
            : StatesError.Runtime($"Invalid path '{Path.Text}' : The {fieldName} field could not be applied: no value at that path in {ResultPathWriter.Truncate(value.ToJsonString())}");
    }
}

/// <summary>ResultPath: absent means <c>$</c> (the result replaces the input), <c>null</c> means keep the input unchanged.</summary>
public sealed class ResultPathSpec
{
    public static readonly ResultPathSpec Replace = new(null, false);
    public static readonly ResultPathSpec DiscardResult = new(null, true);

    private ResultPathSpec(JsonPath? path, bool discard)
    {
        Path = path;
        IsDiscard = discard;
    }

    public JsonPath? Path { get; }

    public bool IsDiscard { get; }

    public static ResultPathSpec Of(JsonPath path) => path.IsRootOnly ? Replace : new ResultPathSpec(path, false);

    /// <summary>Combines the state's raw input and its result. A failure is States.ResultPathMatchFailure.</summary>
    public Evaluated Apply(JsonValue rawInput, JsonValue result)
    {
        if (IsDiscard)
        {
            return rawInput;
        }
        if (Path is null)
        {
            return result;
        }
        return ResultPathWriter.TryApply(Path, rawInput, result, out var output, out var error)
            ? output
            : Evaluated.Fail(ErrorNames.ResultPathMatchFailure, error);
    }
}
