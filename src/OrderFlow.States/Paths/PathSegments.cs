using OrderFlow.Json;

namespace OrderFlow.States.Paths;

/// <summary>One step of a compiled JSONPath. Each adds its matches for one node to a list.</summary>
internal abstract class PathSegment
{
    /// <summary>True when the segment selects at most one node (Reference Paths use only these).</summary>
    public abstract bool IsDefinite { get; }

    public abstract void Select(JsonValue node, in PathRoots roots, List<JsonValue> matches);

    /// <summary>For definite segments: the single child, or null when absent.</summary>
    public virtual JsonValue? SelectOne(JsonValue node) => throw StatesEngineException.Bug("SelectOne on an indefinite segment");
}

internal sealed class NameSegment(string name) : PathSegment
{
    // Interned, as parsed member names are (OrderFlow.Json's name table): selecting the member is then, nearly always,
    // a comparison of references.
    public string Name { get; } = string.Intern(name);

    public override bool IsDefinite => true;

    public override JsonValue? SelectOne(JsonValue node) => node is JsonObject o && o.TryGetValue(Name, out var v) ? v : null;

    public override void Select(JsonValue node, in PathRoots roots, List<JsonValue> matches)
    {
        if (SelectOne(node) is { } v)
        {
            matches.Add(v);
        }
    }
}

internal sealed class IndexSegment(int index) : PathSegment
{
    public int Index { get; } = index;

    public override bool IsDefinite => true;

    public override JsonValue? SelectOne(JsonValue node)
    {
        if (node is not JsonArray a)
        {
            return null;
        }
        var i = Index < 0 ? a.Count + Index : Index;
        return i >= 0 && i < a.Count ? a[i] : null;
    }

    public override void Select(JsonValue node, in PathRoots roots, List<JsonValue> matches)
    {
        if (SelectOne(node) is { } v)
        {
            matches.Add(v);
        }
    }
}

internal sealed class WildcardSegment : PathSegment
{
    public static readonly WildcardSegment Instance = new();

    public override bool IsDefinite => false;

    public override void Select(JsonValue node, in PathRoots roots, List<JsonValue> matches)
    {
        switch (node)
        {
            case JsonArray a:
                matches.AddRange(a);
                break;
            case JsonObject o:
                for (var i = 0; i < o.Count; i++)
                {
                    matches.Add(o.ValueAt(i));
                }
                break;
        }
    }
}

internal sealed class SliceSegment(int? start, int? end, int step) : PathSegment
{
    public override bool IsDefinite => false;

    public override void Select(JsonValue node, in PathRoots roots, List<JsonValue> matches)
    {
        if (node is not JsonArray a || step == 0)
        {
            return;
        }
        var n = a.Count;
        int Norm(int v) => v < 0 ? Math.Max(0, n + v) : Math.Min(v, n);
        if (step > 0)
        {
            var from = start.HasValue ? Norm(start.Value) : 0;
            var to = end.HasValue ? Norm(end.Value) : n;
            for (var i = from; i < to; i += step)
            {
                matches.Add(a[i]);
            }
        }
        else
        {
            var from = start.HasValue ? Math.Min(Norm(start.Value), n - 1) : n - 1;
            var to = end.HasValue ? Norm(end.Value) : -1;
            for (var i = from; i > to; i += step)
            {
                matches.Add(a[i]);
            }
        }
    }
}

internal sealed class UnionSegment(IReadOnlyList<PathSegment> members) : PathSegment
{
    public override bool IsDefinite => false;

    public override void Select(JsonValue node, in PathRoots roots, List<JsonValue> matches)
    {
        foreach (var member in members)
        {
            member.Select(node, roots, matches);
        }
    }
}

/// <summary><c>..x</c>: applies the inner segment to the node and every descendant, document order.</summary>
internal sealed class DescendantSegment(PathSegment inner) : PathSegment
{
    public override bool IsDefinite => false;

    public override void Select(JsonValue node, in PathRoots roots, List<JsonValue> matches)
    {
        var stack = new Stack<JsonValue>();
        stack.Push(node);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            inner.Select(current, roots, matches);
            switch (current)
            {
                case JsonArray a:
                    for (var i = a.Count - 1; i >= 0; i--)
                    {
                        stack.Push(a[i]);
                    }
                    break;
                case JsonObject o:
                    for (var i = o.Count - 1; i >= 0; i--)
                    {
                        stack.Push(o.ValueAt(i));
                    }
                    break;
            }
        }
    }
}

internal sealed class FilterSegment(FilterExpression filter) : PathSegment
{
    public override bool IsDefinite => false;

    public override void Select(JsonValue node, in PathRoots roots, List<JsonValue> matches)
    {
        switch (node)
        {
            case JsonArray a:
                foreach (var item in a)
                {
                    if (filter.Test(item, roots))
                    {
                        matches.Add(item);
                    }
                }
                break;
            case JsonObject when filter.Test(node, roots):
                matches.Add(node);
                break;
        }
    }
}
