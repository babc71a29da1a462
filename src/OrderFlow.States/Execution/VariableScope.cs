using OrderFlow.Json;

namespace OrderFlow.States.Execution;

/// <summary>
/// Workflow variables of one scope. A Map iteration or Parallel branch gets a child scope: it reads the outer
/// variables, and what it assigns stays inside it
/// (https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html#variable-scope).
/// </summary>
internal sealed class VariableScope(VariableScope? parent)
{
    private Dictionary<string, JsonValue>? _values;

    public bool TryGet(string name, out JsonValue value)
    {
        for (var scope = this; scope is not null; scope = scope.Parent)
        {
            if (scope._values is not null && scope._values.TryGetValue(name, out value!))
            {
                return true;
            }
        }
        value = JsonValue.Null;
        return false;
    }

    public VariableScope? Parent { get; } = parent;

    public void Set(string name, JsonValue value) => (_values ??= new Dictionary<string, JsonValue>(StringComparer.Ordinal))[name] = value;
}
