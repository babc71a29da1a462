using OrderFlow.States.Execution;
using OrderFlow.States.Intrinsics;
using OrderFlow.Json;
using OrderFlow.States.Parsing;
using OrderFlow.States.Paths;

namespace OrderFlow.States.Model;

/// <summary>
/// A payload template (Parameters, ItemSelector, ResultSelector, Assign, Result-free Pass parameters) compiled once.
/// A field whose name ends in <c>.$</c> takes its value from a path or an intrinsic function; every other value is
/// copied as is (https://states-language.net/spec.html#payload-template).
/// </summary>
public abstract class PayloadTemplate
{
    public abstract Evaluated Evaluate(in PathRoots roots);

    /// <summary>Compiles <paramref name="template"/>; problems are added to <paramref name="problems"/>.</summary>
    internal static PayloadTemplate Compile(JsonValue template, string location, ProblemList problems)
    {
        switch (template)
        {
            case JsonObject obj:
                var fields = new List<(string Name, PayloadTemplate Value)>(obj.Count);
                var dynamic = false;
                for (var i = 0; i < obj.Count; i++)
                {
                    var name = obj.NameAt(i);
                    var value = obj.ValueAt(i);
                    var fieldLocation = $"{location}.{name}";
                    if (name.EndsWith(".$", StringComparison.Ordinal))
                    {
                        dynamic = true;
                        var target = name[..^2];
                        if (fields.Any(f => f.Name == target) || obj.ContainsKey(target))
                        {
                            problems.Add(fieldLocation, $"the field \"{target}\" is given twice (with and without .$)");
                        }
                        fields.Add((target, CompileDynamic(value, name, fieldLocation, problems)));
                    }
                    else
                    {
                        var compiled = Compile(value, fieldLocation, problems);
                        dynamic |= compiled is not ConstantTemplate;
                        fields.Add((name, compiled));
                    }
                }
                return dynamic ? new ObjectTemplate([.. fields.DistinctBy(f => f.Name, StringComparer.Ordinal)]) : new ConstantTemplate(template);
            case JsonArray array:
                var items = array.Select((v, i) => Compile(v, $"{location}[{i}]", problems)).ToArray();
                return items.All(i => i is ConstantTemplate) ? new ConstantTemplate(template) : new ArrayTemplate(items);
            default:
                return new ConstantTemplate(template);
        }
    }

    private static PayloadTemplate CompileDynamic(JsonValue value, string fieldName, string location, ProblemList problems)
    {
        if (value is not JsonString { Value: var text })
        {
            problems.Add(location, $"the value of a field ending in .$ must be a string holding a path or an intrinsic function, not {value.KindName}");
            return new ConstantTemplate(JsonValue.Null);
        }
        if (text.StartsWith('$'))
        {
            if (!JsonPath.TryParse(text, out var path, out var error))
            {
                problems.Add(location, error);
                return new ConstantTemplate(JsonValue.Null);
            }
            return new PathTemplate(fieldName, path);
        }
        if (IntrinsicExpression.LooksLikeCall(text))
        {
            if (!IntrinsicExpression.TryParse(text, out var call, out var error))
            {
                problems.Add(location, error);
                return new ConstantTemplate(JsonValue.Null);
            }
            return new IntrinsicTemplate(call);
        }
        problems.Add(location, $"\"{text}\" is neither a path (starting with '$') nor an intrinsic function (States.Name(...))");
        return new ConstantTemplate(JsonValue.Null);
    }
}

internal sealed class ConstantTemplate(JsonValue value) : PayloadTemplate
{
    public override Evaluated Evaluate(in PathRoots roots) => value;
}

internal sealed class ObjectTemplate((string Name, PayloadTemplate Value)[] fields) : PayloadTemplate
{
    public override Evaluated Evaluate(in PathRoots roots)
    {
        // A template's field names are distinct (made so when compiled; "name" with "name.$" is also a problem of the
        // definition), so the members go straight into the object's own array.
        var members = new KeyValuePair<string, JsonValue>[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            var value = fields[i].Value.Evaluate(roots);
            if (value.Failed)
            {
                return value;
            }
            members[i] = new(fields[i].Name, value.Value);
        }
        return JsonObject.FromDistinct(members);
    }
}

internal sealed class ArrayTemplate(PayloadTemplate[] items) : PayloadTemplate
{
    public override Evaluated Evaluate(in PathRoots roots)
    {
        var values = new JsonValue[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            var value = items[i].Evaluate(roots);
            if (value.Failed)
            {
                return value;
            }
            values[i] = value.Value;
        }
        return new JsonArray(values);
    }
}

internal sealed class PathTemplate(string fieldName, JsonPath path) : PayloadTemplate
{
    public override Evaluated Evaluate(in PathRoots roots)
    {
        if (path.TryEvaluate(roots, out var value))
        {
            return value;
        }
        var source = path.Root switch
        {
            PathRootKind.Context => "the context object",
            PathRootKind.Variable => $"the variables (${path.VariableName} is not assigned or lacks this field)",
            _ => $"the input '{ResultPathWriter.Truncate(roots.Input.ToJsonString())}'",
        };
        return StatesError.Runtime($"The JSONPath '{path.Text}' specified for the field '{fieldName}' could not be found in {source}");
    }
}

internal sealed class IntrinsicTemplate(IntrinsicCall call) : PayloadTemplate
{
    public override Evaluated Evaluate(in PathRoots roots) => call.Evaluate(roots);
}
