using OrderFlow.Json;
using OrderFlow.States.Parsing;

namespace OrderFlow.States.Choice;

/// <summary>Parses Choice rules and their nested Boolean expressions, checking operand types.</summary>
internal static class ChoiceRuleParser
{
    private static readonly HashSet<string> Structural = ["Variable", "Next", "Comment", "Assign", "And", "Or", "Not"];

    public static ChoiceCondition? Parse(FieldReader reader, bool topLevel)
    {
        var obj = reader.Object;
        var operators = obj.Names.Where(n => n is "And" or "Or" or "Not" || ComparisonOperator.All.ContainsKey(n)).ToList();
        foreach (var name in obj.Names)
        {
            if (!Structural.Contains(name) && !ComparisonOperator.All.ContainsKey(name))
            {
                reader.Problem(name, ComparisonOperator.All.Keys.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)) is { } fix
                    ? $"is not a valid field of a Choice rule (did you mean \"{fix}\"?)"
                    : "is not a valid field of a Choice rule");
            }
        }
        if (!topLevel)
        {
            foreach (var field in new[] { "Next", "Assign" })
            {
                if (reader.Has(field))
                {
                    reader.Problem(field, "only a top-level Choice rule may have " + field);
                }
            }
        }
        if (operators.Count != 1)
        {
            reader.Problem(string.Empty, operators.Count == 0
                ? "a Choice rule needs one comparison operator, or And, Or or Not"
                : $"a Choice rule has exactly one operator, not {string.Join(", ", operators)}");
            return null;
        }
        var op = operators[0];
        switch (op)
        {
            case "And" or "Or":
                ForbidVariable(reader, op);
                var array = reader.Array(op, required: true, nonEmpty: true);
                if (array is null)
                {
                    return null;
                }
                var operands = new List<ChoiceCondition>();
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonObject o)
                    {
                        if (Parse(new FieldReader(o, reader.At($"{op}[{i}]"), reader.Problems), topLevel: false) is { } c)
                        {
                            operands.Add(c);
                        }
                    }
                    else
                    {
                        reader.Problem($"{op}[{i}]", "must be a Choice rule object");
                    }
                }
                return op == "And" ? new AndCondition([.. operands]) : new OrCondition([.. operands]);
            case "Not":
                ForbidVariable(reader, op);
                var inner = reader.ObjectField("Not", required: true);
                return inner is null ? null
                    : Parse(new FieldReader(inner, reader.At("Not"), reader.Problems), topLevel: false) is { } n ? new NotCondition(n) : null;
            default:
                return ParseComparison(reader, ComparisonOperator.All[op]);
        }
    }

    private static void ForbidVariable(FieldReader reader, string op)
    {
        if (reader.Has("Variable"))
        {
            reader.Problem("Variable", $"a rule with {op} cannot have a Variable");
        }
    }

    private static ComparisonCondition? ParseComparison(FieldReader reader, ComparisonOperator op)
    {
        var variable = reader.Path("Variable", reference: false);
        if (!reader.Has("Variable"))
        {
            reader.Problem("Variable", "is required with " + op.Name);
        }
        var value = reader.Raw(op.Name)!;
        if (op.IsPath)
        {
            var other = reader.Path(op.Name, reference: false);
            return variable is null || other is null ? null : new ComparisonCondition(variable, op, null, other);
        }
        if (op.CheckLiteral(value) is { } problem)
        {
            reader.Problem(op.Name, problem);
            return null;
        }
        return variable is null ? null : new ComparisonCondition(variable, op, value, null);
    }
}
