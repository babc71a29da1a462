using System.Collections;
using System.Text.Json;

namespace OrderFlow.Json;

/// <summary>An immutable JSON array.</summary>
public sealed class JsonArray : JsonValue, IReadOnlyList<JsonValue>
{
    public static readonly JsonArray Empty = new([]);

    private readonly JsonValue[] _items;
    private int _utf8Size = -1;

    /// <summary>Takes ownership of <paramref name="items"/>: the caller must not change it afterwards.</summary>
    public JsonArray(JsonValue[] items) => _items = items;

    public JsonArray(IEnumerable<JsonValue> items) => _items = [.. items];

    /// <summary>A parsed array whose compact text size the parser summed.</summary>
    internal JsonArray(JsonValue[] items, int utf8Size)
        : this(items)
    {
        System.Diagnostics.Debug.Assert(utf8Size == ComputeUtf8Size(), "the parser's size is the array's compact text size");
        _utf8Size = utf8Size;
    }

    public override JsonKind Kind => JsonKind.Array;

    public int Count => _items.Length;

    public JsonValue this[int index] => _items[index];

    public ReadOnlySpan<JsonValue> AsSpan() => _items;

    /// <summary>A copy with the element at <paramref name="index"/> replaced.</summary>
    public JsonArray SetItem(int index, JsonValue value)
    {
        var copy = (JsonValue[])_items.Clone();
        copy[index] = value;
        return new JsonArray(copy);
    }

    public override int Utf8Size => _utf8Size >= 0 ? _utf8Size : _utf8Size = ComputeUtf8Size();

    private int ComputeUtf8Size()
    {
        var size = 2 + Math.Max(0, _items.Length - 1);
        foreach (var item in _items)
        {
            size += item.Utf8Size;
        }
        return size;
    }

    public override void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartArray();
        foreach (var item in _items)
        {
            item.WriteTo(writer);
        }
        writer.WriteEndArray();
    }

    public override bool Equals(JsonValue? other)
    {
        if (other is not JsonArray a || a.Count != Count)
        {
            return false;
        }
        for (var i = 0; i < _items.Length; i++)
        {
            if (!_items[i].Equals(a._items[i]))
            {
                return false;
            }
        }
        return true;
    }

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items)
        {
            hash.Add(item);
        }
        return hash.ToHashCode();
    }

    public IEnumerator<JsonValue> GetEnumerator() => ((IEnumerable<JsonValue>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();
}
