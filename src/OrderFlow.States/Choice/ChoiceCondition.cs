using OrderFlow.States.Execution;
using OrderFlow.Json;
using OrderFlow.States.Paths;

namespace OrderFlow.States.Choice;

/// <summary>A compiled Boolean expression of a Choice rule (https://states-language.net/spec.html#choice-state).</summary>
public abstract class ChoiceCondition
{
    /// <summary>Evaluates the condition; an error (States.Runtime) when a compared path is missing.</summary>
    internal abstract bool Evaluate(in PathRoots roots, out StatesError? error);
}

internal sealed class AndCondition(ChoiceCondition[] operands) : ChoiceCondition
{
    internal override bool Evaluate(in PathRoots roots, out StatesError? error)
    {
        foreach (var operand in operands)
        {
            if (!operand.Evaluate(roots, out error) || error is not null)
            {
                return false;
            }
        }
        error = null;
        return true;
    }
}

internal sealed class OrCondition(ChoiceCondition[] operands) : ChoiceCondition
{
    internal override bool Evaluate(in PathRoots roots, out StatesError? error)
    {
        foreach (var operand in operands)
        {
            if (operand.Evaluate(roots, out error))
            {
                return true;
            }
            if (error is not null)
            {
                return false;
            }
        }
        error = null;
        return false;
    }
}

internal sealed class NotCondition(ChoiceCondition operand) : ChoiceCondition
{
    internal override bool Evaluate(in PathRoots roots, out StatesError? error)
    {
        var value = operand.Evaluate(roots, out error);
        return error is null && !value;
    }
}

/// <summary>A comparison of the Variable with a literal, or with another path (the <c>...Path</c> operators).</summary>
internal sealed class ComparisonCondition(JsonPath variable, ComparisonOperator op, JsonValue? literal, JsonPath? otherPath) : ChoiceCondition
{
    internal override bool Evaluate(in PathRoots roots, out StatesError? error)
    {
        error = null;
        var present = variable.TryEvaluate(roots, out var value);
        if (op.Kind == OperatorKind.IsPresent)
        {
            return present == ((JsonBoolean)literal!).Value;
        }
        if (!present)
        {
            error = StatesError.Runtime($"Invalid path '{variable.Text}': The choice state's condition path references an invalid value.");
            return false;
        }
        var expected = literal;
        if (otherPath is not null)
        {
            if (!otherPath.TryEvaluate(roots, out var other))
            {
                error = StatesError.Runtime($"Invalid path '{otherPath.Text}': The choice state's condition path references an invalid value.");
                return false;
            }
            expected = other;
        }
        return op.Test(value, expected!);
    }
}
