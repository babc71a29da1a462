using OrderFlow.States.Execution;
using OrderFlow.Json;
using OrderFlow.States.Parsing;
using OrderFlow.States.Paths;

namespace OrderFlow.States.Model;

/// <summary>A Pass state: passes its input, or a fixed Result, or its Parameters (https://states-language.net/spec.html#pass-state).</summary>
public sealed class PassState : State
{
    internal static readonly HashSet<string> Fields =
        ["Type", "Comment", "InputPath", "OutputPath", "Next", "End", "Assign", "Result", "ResultPath", "Parameters"];

    internal PassState(FieldReader reader, string name) : base(reader, name)
    {
        Result = reader.Raw("Result");
        Parameters = reader.Template("Parameters");
        ResultPath = reader.ResultPath();
        reader.RejectUnknown(Fields, "a Pass state");
    }

    public override string Type => "Pass";

    public JsonValue? Result { get; }

    public PayloadTemplate? Parameters { get; }

    public ResultPathSpec ResultPath { get; }

    internal override ValueTask<StateOutcome> ExecuteAsync(StateRun run, CancellationToken cancellationToken)
    {
        var input = InputPath.Apply(run.RawInput, run, "InputPath");
        if (input.Failed)
        {
            return new(StateOutcome.Fail(input.Error!));
        }
        JsonValue result;
        if (Result is not null)
        {
            result = Result;
        }
        else if (Parameters is not null)
        {
            var parameters = Parameters.Evaluate(new PathRoots(input.Value, run));
            if (parameters.Failed)
            {
                return new(StateOutcome.Fail(parameters.Error!));
            }
            result = parameters.Value;
        }
        else
        {
            result = input.Value;
        }
        if (run.ApplyAssign(Assign, result) is { } assignError)
        {
            return new(StateOutcome.Fail(assignError));
        }
        var output = ResultPath.Apply(run.RawInput, result);
        return new(output.Failed ? StateOutcome.Fail(output.Error!) : Leave(run, output.Value));
    }
}

/// <summary>A Succeed state: ends the execution, or its branch, successfully (https://states-language.net/spec.html#succeed-state).</summary>
public sealed class SucceedState : State
{
    internal static readonly HashSet<string> Fields = ["Type", "Comment", "InputPath", "OutputPath"];

    internal SucceedState(FieldReader reader, string name) : base(reader, name, hasTransition: false, hasAssign: false) =>
        reader.RejectUnknown(Fields, "a Succeed state");

    public override string Type => "Succeed";

    internal override ValueTask<StateOutcome> ExecuteAsync(StateRun run, CancellationToken cancellationToken)
    {
        var input = InputPath.Apply(run.RawInput, run, "InputPath");
        return new(input.Failed ? StateOutcome.Fail(input.Error!) : Leave(run, input.Value));
    }
}
