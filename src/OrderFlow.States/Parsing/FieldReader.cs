using OrderFlow.Json;
using OrderFlow.States.Model;
using OrderFlow.States.Paths;

namespace OrderFlow.States.Parsing;

/// <summary>
/// Reads the fields of one definition object with type checks, recording a located problem for each wrong field
/// and, at the end, each field the object may not have.
/// </summary>
internal sealed class FieldReader(JsonObject obj, string location, ProblemList problems)
{
    public JsonObject Object => obj;

    public string Location => location;

    public ProblemList Problems => problems;

    public string At(string field) => string.IsNullOrEmpty(location) ? field : string.IsNullOrEmpty(field) ? location : $"{location}.{field}";

    public bool Has(string field) => obj.ContainsKey(field);

    public JsonValue? Raw(string field) => obj[field];

    public void Problem(string field, string message) => problems.Add(At(field), message);

    public string? String(string field, bool required = false)
    {
        switch (obj[field])
        {
            case null:
                if (required)
                {
                    problems.Add(At(field), "is required");
                }
                return null;
            case JsonString s:
                return s.Value;
            case var other:
                problems.Add(At(field), $"must be a string, not {other.KindName}");
                return null;
        }
    }

    public bool? Bool(string field)
    {
        switch (obj[field])
        {
            case null:
                return null;
            case JsonBoolean b:
                return b.Value;
            case var other:
                problems.Add(At(field), $"must be a boolean, not {other.KindName}");
                return null;
        }
    }

    /// <summary>A non-negative (or positive) integer field.</summary>
    public long? Integer(string field, long min = 0)
    {
        switch (obj[field])
        {
            case null:
                return null;
            case JsonNumber n when n.TryGetInt64(out var v) && v >= min:
                return v;
            case var other:
                problems.Add(At(field), $"must be an integer ≥ {min}, not {other.ToJsonString()}");
                return null;
        }
    }

    public double? Number(string field)
    {
        switch (obj[field])
        {
            case null:
                return null;
            case JsonNumber n:
                return n.Value;
            case var other:
                problems.Add(At(field), $"must be a number, not {other.KindName}");
                return null;
        }
    }

    public JsonObject? ObjectField(string field, bool required = false)
    {
        switch (obj[field])
        {
            case null:
                if (required)
                {
                    problems.Add(At(field), "is required");
                }
                return null;
            case JsonObject o:
                return o;
            case var other:
                problems.Add(At(field), $"must be an object, not {other.KindName}");
                return null;
        }
    }

    public JsonArray? Array(string field, bool required = false, bool nonEmpty = false)
    {
        switch (obj[field])
        {
            case null:
                if (required)
                {
                    problems.Add(At(field), "is required");
                }
                return null;
            case JsonArray a:
                if (nonEmpty && a.Count == 0)
                {
                    problems.Add(At(field), "must not be empty");
                }
                return a;
            case var other:
                problems.Add(At(field), $"must be an array, not {other.KindName}");
                return null;
        }
    }

    /// <summary>A Path or Reference Path field. <paramref name="inputOnly"/> forbids <c>$$</c> and variables.</summary>
    public JsonPath? Path(string field, bool reference, bool inputOnly = false)
    {
        var text = String(field);
        return text is null ? null : ParsePath(At(field), text, reference, inputOnly, problems);
    }

    public static JsonPath? ParsePath(string at, string text, bool reference, bool inputOnly, ProblemList problems)
    {
        if (!JsonPath.TryParse(text, out var path, out var error))
        {
            problems.Add(at, error);
            return null;
        }
        if (reference && !path.IsReferencePath)
        {
            problems.Add(at, $"\"{text}\" must be a Reference Path: only names and indexes, no wildcards, slices, unions, filters or '..'");
            return null;
        }
        if (inputOnly && path.Root != PathRootKind.Input)
        {
            problems.Add(at, $"\"{text}\" must start with '$' and address the state's data, not the context object or a variable");
            return null;
        }
        return path;
    }

    /// <summary>InputPath/OutputPath: absent is identity, null is discard.</summary>
    public DataPath DataPath(string field)
    {
        if (!obj.TryGetValue(field, out var raw))
        {
            return Model.DataPath.Identity;
        }
        if (raw is JsonNull)
        {
            return Model.DataPath.Discard;
        }
        var path = Path(field, reference: false);
        return path is null ? Model.DataPath.Identity : Model.DataPath.Of(path);
    }

    public ResultPathSpec ResultPath(string field = "ResultPath")
    {
        if (!obj.TryGetValue(field, out var raw))
        {
            return ResultPathSpec.Replace;
        }
        if (raw is JsonNull)
        {
            return ResultPathSpec.DiscardResult;
        }
        var path = Path(field, reference: true, inputOnly: true);
        return path is null ? ResultPathSpec.Replace : ResultPathSpec.Of(path);
    }

    public PayloadTemplate? Template(string field)
    {
        var raw = obj[field];
        return raw is null ? null : PayloadTemplate.Compile(raw, At(field), problems);
    }

    /// <summary>Records every field not in <paramref name="allowed"/>.</summary>
    public void RejectUnknown(IReadOnlySet<string> allowed, string what)
    {
        foreach (var name in obj.Names)
        {
            if (!allowed.Contains(name) && name != "QueryLanguage")
            {
                problems.Add(At(name), $"is not a valid field of {what}");
            }
        }
    }
}
