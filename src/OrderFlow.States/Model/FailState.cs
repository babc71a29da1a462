using OrderFlow.States.Execution;
using OrderFlow.States.Intrinsics;
using OrderFlow.Json;
using OrderFlow.States.Parsing;
using OrderFlow.States.Paths;

namespace OrderFlow.States.Model;

/// <summary>
/// A Fail state: stops the execution with an Error and a Cause, fixed or taken from the input by ErrorPath and
/// CausePath, which may be Reference Paths or intrinsic functions (https://states-language.net/spec.html#fail-state).
/// </summary>
public sealed class FailState : State
{
    internal static readonly HashSet<string> Fields = ["Type", "Comment", "Error", "ErrorPath", "Cause", "CausePath"];

    internal FailState(FieldReader reader, string name) : base(reader, name, hasInputOutput: false, hasTransition: false, hasAssign: false)
    {
        Error = reader.String("Error");
        Cause = reader.String("Cause");
        ErrorPath = ReadDynamic(reader, "ErrorPath", "Error");
        CausePath = ReadDynamic(reader, "CausePath", "Cause");
        reader.RejectUnknown(Fields, "a Fail state");
    }

    private static PayloadTemplate? ReadDynamic(FieldReader reader, string field, string fixedField)
    {
        var text = reader.String(field);
        if (text is null)
        {
            return null;
        }
        if (reader.Has(fixedField))
        {
            reader.Problem(field, $"cannot be given together with {fixedField}");
        }
        if (IntrinsicExpression.LooksLikeCall(text))
        {
            if (!IntrinsicExpression.TryParse(text, out var call, out var error))
            {
                reader.Problem(field, error);
                return null;
            }
            return new IntrinsicTemplate(call);
        }
        var path = reader.Path(field, reference: true);
        return path is null ? null : new PathTemplate(field, path);
    }

    public override string Type => "Fail";

    public string? Error { get; }

    public string? Cause { get; }

    public PayloadTemplate? ErrorPath { get; }

    public PayloadTemplate? CausePath { get; }

    internal override ValueTask<StateOutcome> ExecuteAsync(StateRun run, CancellationToken cancellationToken)
    {
        var error = Resolve(run, Error, ErrorPath, "ErrorPath");
        if (error.Failed)
        {
            return new(StateOutcome.Fail(error.Error!));
        }
        var cause = Resolve(run, Cause, CausePath, "CausePath");
        if (cause.Failed)
        {
            return new(StateOutcome.Fail(cause.Error!));
        }
        var errorName = (error.Value as JsonString)?.Value ?? string.Empty;
        var causeText = (cause.Value as JsonString)?.Value;
        return new(StateOutcome.Fail(new StatesError(errorName, causeText)));
    }

    private static Evaluated Resolve(StateRun run, string? fixedValue, PayloadTemplate? dynamic, string field)
    {
        if (dynamic is null)
        {
            return fixedValue is null ? JsonValue.Null : new JsonString(fixedValue);
        }
        var value = dynamic.Evaluate(new PathRoots(run.RawInput, run));
        if (value.Failed || value.Value is JsonString)
        {
            return value;
        }
        return StatesError.Runtime($"The {field} of Fail state '{run.State.Name}' must select a string, not {value.Value.KindName}");
    }
}
