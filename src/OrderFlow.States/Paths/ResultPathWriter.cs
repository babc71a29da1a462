using OrderFlow.Json;

namespace OrderFlow.States.Paths;

/// <summary>
/// Places a result into a copy of the state input at a Reference Path, creating missing objects on the way
/// (https://states-language.net/spec.html#filters, "ResultPath"). Only the changed spine is copied.
/// </summary>
public static class ResultPathWriter
{
    public static bool TryApply(JsonPath path, JsonValue input, JsonValue result, out JsonValue output, out string error)
    {
        if (!path.IsReferencePath || path.Root != PathRootKind.Input)
        {
            throw StatesEngineException.Bug($"ResultPath {path.Text} was not validated as an input Reference Path");
        }
        error = string.Empty;
        var replaced = Set(path.Segments, 0, input, result);
        if (replaced is null)
        {
            output = input;
            error = $"Unable to apply ResultPath \"{path.Text}\" to input {Truncate(input.ToJsonString())}";
            return false;
        }
        output = replaced;
        return true;
    }

    private static JsonValue? Set(IReadOnlyList<PathSegment> segments, int i, JsonValue node, JsonValue result)
    {
        if (i == segments.Count)
        {
            return result;
        }
        switch (segments[i])
        {
            case NameSegment name when node is JsonObject o:
                var child = o.TryGetValue(name.Name, out var existing) ? existing : JsonObject.Empty;
                var updated = Set(segments, i + 1, child, result);
                return updated is null ? null : o.SetItem(name.Name, updated);
            case IndexSegment index when node is JsonArray a:
                var at = index.Index < 0 ? a.Count + index.Index : index.Index;
                if (at < 0 || at >= a.Count)
                {
                    return null;
                }
                var element = Set(segments, i + 1, a[at], result);
                return element is null ? null : a.SetItem(at, element);
            default:
                return null;
        }
    }

    internal static string Truncate(string text) => text.Length <= 1024 ? text : string.Concat(text.AsSpan(0, 1024), "...");
}
