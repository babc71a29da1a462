using OrderFlow.States.Execution;
using OrderFlow.Json;
using OrderFlow.States.Paths;

namespace OrderFlow.States.Intrinsics;

/// <summary>
/// A compiled intrinsic function call or one of its arguments
/// (https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html).
/// </summary>
public abstract class IntrinsicExpression
{
    public abstract Evaluated Evaluate(in PathRoots roots);

    public static IntrinsicCall Parse(string text) =>
        IntrinsicParser.TryParse(text, out var call, out var error) ? call : throw new FormatException(error);

    public static bool TryParse(string text, out IntrinsicCall call, out string error) => IntrinsicParser.TryParse(text, out call, out error);

    /// <summary>True when the text looks like an intrinsic call (<c>States.Name(</c>); used to tell paths and calls apart.</summary>
    public static bool LooksLikeCall(string text) => text.StartsWith("States.", StringComparison.Ordinal);
}

/// <summary>A literal argument (string, number, boolean or null).</summary>
internal sealed class LiteralArgument(JsonValue value, string? rawString) : IntrinsicExpression
{
    public JsonValue Value { get; } = value;

    /// <summary>For string literals: the text between the quotes with its escapes kept, for States.Format.</summary>
    public string? RawString { get; } = rawString;

    public override Evaluated Evaluate(in PathRoots roots) => Value;
}

/// <summary>A path argument.</summary>
internal sealed class PathArgument(JsonPath path) : IntrinsicExpression
{
    public JsonPath Path { get; } = path;

    public override Evaluated Evaluate(in PathRoots roots) =>
        Path.TryEvaluate(roots, out var value)
            ? value
            : StatesError.Runtime($"The JSONPath '{Path.Text}' given as an intrinsic function argument could not be found in the input {ResultPathWriter.Truncate(roots.Input.ToJsonString())}");
}

/// <summary>A call <c>States.Name(args)</c>, its function resolved at parse time.</summary>
public sealed class IntrinsicCall : IntrinsicExpression
{
    private readonly IntrinsicFunction _function;

    internal IntrinsicCall(string text, IntrinsicFunction function, IReadOnlyList<IntrinsicExpression> arguments)
    {
        Text = text;
        _function = function;
        Arguments = arguments;
    }

    public string Text { get; }

    public string Name => _function.Name;

    internal IReadOnlyList<IntrinsicExpression> Arguments { get; }

    public override Evaluated Evaluate(in PathRoots roots)
    {
        var values = new JsonValue[Arguments.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var arg = Arguments[i].Evaluate(roots);
            if (arg.Failed)
            {
                return arg;
            }
            values[i] = arg.Value;
        }
        try
        {
            return _function.Invoke(new IntrinsicInvocation(this, values, roots.Scope?.Random ?? SystemRandomSource.Instance));
        }
        catch (IntrinsicFailureException ex)
        {
            return Evaluated.Fail(ErrorNames.IntrinsicFailure, $"Invalid arguments in {Name}: {ex.Message}");
        }
    }

    public override string ToString() => Text;
}

/// <summary>The arguments of one call, already evaluated.</summary>
internal readonly record struct IntrinsicInvocation(IntrinsicCall Call, JsonValue[] Args, IRandomSource Random);

/// <summary>Raised by a function body on bad arguments; turned into States.IntrinsicFailure by <see cref="IntrinsicCall"/>.</summary>
internal sealed class IntrinsicFailureException(string message) : Exception(message);
