using OrderFlow.Json;

namespace OrderFlow.Local.Tables.Expressions;

/// <summary>A document path into an item: <c>a.b[2].c</c>, names already resolved from placeholders.</summary>
internal sealed class DocumentPath(IReadOnlyList<object> elements)
{
    public IReadOnlyList<object> Elements { get; } = elements;

    public string TopName => (string)Elements[0];

    public override string ToString() => string.Concat(Elements.Select((e, i) => e is int n ? $"[{n}]" : i == 0 ? (string)e : $".{e}"));

    /// <summary>The attribute value at this path, or null when absent.</summary>
    public JsonValue? Get(JsonObject item)
    {
        JsonValue? current = item[TopName];
        for (var i = 1; i < Elements.Count && current is not null; i++)
        {
            current = Elements[i] switch
            {
                string name when AttributeValues.TypeOf(current) == "M" => ((JsonObject)AttributeValues.Payload(current))[name],
                int index when AttributeValues.TypeOf(current) == "L" && AttributeValues.Payload(current) is JsonArray list && index < list.Count => list[index],
                _ => null,
            };
        }
        return current;
    }

    /// <summary>A copy of the item with the value set; an error when a parent on the way is missing or not a map/list.</summary>
    public JsonObject Set(JsonObject item, JsonValue value) => (JsonObject)SetIn(item, 0, value, isItem: true);

    private JsonValue SetIn(JsonValue container, int depth, JsonValue value, bool isItem)
    {
        var element = Elements[depth];
        var last = depth == Elements.Count - 1;
        if (isItem || (element is string && AttributeValues.TypeOf(container) == "M"))
        {
            var map = isItem ? (JsonObject)container : (JsonObject)AttributeValues.Payload(container);
            var name = element as string ?? throw Invalid();
            JsonValue next;
            if (last)
            {
                next = value;
            }
            else
            {
                var child = map[name] ?? throw Invalid();
                next = SetIn(child, depth + 1, value, isItem: false);
            }
            var updated = map.SetItem(name, next);
            return isItem ? updated : AttributeValues.Of("M", updated);
        }
        if (element is int index && AttributeValues.TypeOf(container) == "L")
        {
            var list = (JsonArray)AttributeValues.Payload(container);
            if (last)
            {
                // Setting past the end appends, as DynamoDB does.
                var items = list.ToList();
                if (index < items.Count)
                {
                    items[index] = value;
                }
                else
                {
                    items.Add(value);
                }
                return AttributeValues.Of("L", new JsonArray([.. items]));
            }
            if (index >= list.Count)
            {
                throw Invalid();
            }
            return AttributeValues.Of("L", list.SetItem(index, SetIn(list[index], depth + 1, value, isItem: false)));
        }
        throw Invalid();
    }

    /// <summary>A copy of the item without the value; removing what is absent changes nothing.</summary>
    public JsonObject Remove(JsonObject item)
    {
        if (Elements.Count == 1)
        {
            return item.ContainsKey(TopName) ? JsonObject.Create(item.Members.Where(m => m.Key != TopName)) : item;
        }
        var parentPath = new DocumentPath(Elements.Take(Elements.Count - 1).ToList());
        var parent = parentPath.Get(item);
        var last = Elements[^1];
        switch (parent)
        {
            case not null when last is string name && AttributeValues.TypeOf(parent) == "M":
                var map = (JsonObject)AttributeValues.Payload(parent);
                return map.ContainsKey(name) ? parentPath.Set(item, AttributeValues.Of("M", JsonObject.Create(map.Members.Where(m => m.Key != name)))) : item;
            case not null when last is int index && AttributeValues.TypeOf(parent) == "L":
                var list = (JsonArray)AttributeValues.Payload(parent);
                return index < list.Count ? parentPath.Set(item, AttributeValues.Of("L", new JsonArray(list.Where((_, i) => i != index).ToArray()))) : item;
            default:
                return item;
        }
    }

    private ExpressionException Invalid() => new($"The document path provided in the update expression is invalid for update: {this}");
}
