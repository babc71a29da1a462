using OrderFlow.Json;

namespace OrderFlow.States.Paths;

/// <summary>Where a path starts: the state input (<c>$</c>), the context object (<c>$$</c>) or a workflow variable (<c>$name</c>).</summary>
public enum PathRootKind { Input, Context, Variable }

/// <summary>
/// A JSONPath compiled once at parse time. Paths follow the Jayway JSONPath syntax that Step Functions uses
/// (https://states-language.net/spec.html#path); a path made only of names and indexes is a
/// Reference Path (https://states-language.net/spec.html#ref-paths) and selects a single node.
/// </summary>
public sealed class JsonPath
{
    private readonly PathSegment[] _segments;

    internal JsonPath(string text, PathRootKind root, string? variableName, PathSegment[] segments)
    {
        Text = text;
        Root = root;
        VariableName = variableName;
        _segments = segments;
        IsReferencePath = segments.All(s => s.IsDefinite);
        if (root == PathRootKind.Context && IsReferencePath && segments.Length >= 3
            && segments[0] is NameSegment { Name: "Map" } && segments[1] is NameSegment { Name: "Item" }
            && segments[2] is NameSegment { Name: "Index" or "Value" } field)
        {
            _mapItemField = field.Name == "Index" ? MapItemField.Index : MapItemField.Value;
        }
    }

    private enum MapItemField { None, Index, Value }

    // $$.Map.Item.Index or $$.Map.Item.Value (and any path below it): read from the Map item's scope directly.
    private readonly MapItemField _mapItemField;

    public string Text { get; }

    public PathRootKind Root { get; }

    public string? VariableName { get; }

    /// <summary>True for a Reference Path: it selects a single node.</summary>
    public bool IsReferencePath { get; }

    /// <summary>True for the path <c>$</c> alone.</summary>
    public bool IsRootOnly => Root == PathRootKind.Input && _segments.Length == 0;

    internal IReadOnlyList<PathSegment> Segments => _segments;

    public static JsonPath Parse(string text) =>
        JsonPathParser.TryParse(text, out var path, out var error) ? path : throw new FormatException(error);

    public static bool TryParse(string text, out JsonPath path, out string error) => JsonPathParser.TryParse(text, out path, out error);

    /// <summary>
    /// Selects the value at this path. A Reference Path yields the node or fails when it is absent; other paths
    /// yield an array of every match (possibly empty), as Jayway JSONPath returns them.
    /// </summary>
    public bool TryEvaluate(in PathRoots roots, out JsonValue value)
    {
        JsonValue start;
        switch (Root)
        {
            case PathRootKind.Input:
                start = roots.Input;
                break;
            case PathRootKind.Context:
                if (roots.Scope is null)
                {
                    value = JsonValue.Null;
                    return false;
                }
                if (_mapItemField != MapItemField.None && roots.Scope.TryGetMapItem(out var itemIndex, out var item))
                {
                    return TrySelect(_mapItemField == MapItemField.Index ? JsonNumber.FromInt64(itemIndex) : item, 3, out value);
                }
                start = roots.Scope.Context;
                break;
            default:
                if (roots.Scope is null || !roots.Scope.TryGetVariable(VariableName!, out start))
                {
                    value = JsonValue.Null;
                    return false;
                }
                break;
        }
        if (IsReferencePath)
        {
            return TrySelect(start, 0, out value);
        }
        var current = new List<JsonValue> { start };
        var matches = new List<JsonValue>();
        foreach (var segment in _segments)
        {
            matches.Clear();
            foreach (var node in current)
            {
                segment.Select(node, roots, matches);
            }
            (current, matches) = (matches, current);
        }
        value = current.Count == 0 ? JsonArray.Empty : new JsonArray([.. current]);
        return true;
    }

    // A Reference Path from its segment number `from` on: the single node, or false when absent.
    private bool TrySelect(JsonValue start, int from, out JsonValue value)
    {
        var node = start;
        for (var i = from; i < _segments.Length; i++)
        {
            var next = _segments[i].SelectOne(node);
            if (next is null)
            {
                value = JsonValue.Null;
                return false;
            }
            node = next;
        }
        value = node;
        return true;
    }

    public bool TryEvaluate(JsonValue input, out JsonValue value) => TryEvaluate(PathRoots.InputOnly(input), out value);

    public override string ToString() => Text;
}
