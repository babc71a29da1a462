using System.Text.Json;

namespace OrderFlow.States.Json;

/// <summary>An immutable JSON object that keeps its members in insertion order.</summary>
public sealed class JsonObject : JsonValue
{
    private const int LinearLookupLimit = 8;

    public static readonly JsonObject Empty = new([], []);

    private readonly string[] _names;
    private readonly JsonValue[] _values;
    private Dictionary<string, int>? _index;

    private JsonObject(string[] names, JsonValue[] values)
    {
        _names = names;
        _values = values;
    }

    public override JsonKind Kind => JsonKind.Object;

    public int Count => _names.Length;

    public IEnumerable<string> Names => _names;

    public IEnumerable<KeyValuePair<string, JsonValue>> Members
    {
        get
        {
            for (var i = 0; i < _names.Length; i++)
            {
                yield return new KeyValuePair<string, JsonValue>(_names[i], _values[i]);
            }
        }
    }

    public string NameAt(int index) => _names[index];

    public JsonValue ValueAt(int index) => _values[index];

    /// <summary>Builds an object; a later duplicate name replaces the earlier value in place.</summary>
    public static JsonObject Create(IEnumerable<KeyValuePair<string, JsonValue>> members)
    {
        var builder = new JsonObjectBuilder();
        foreach (var (name, value) in members)
        {
            builder.Set(name, value);
        }
        return builder.Build();
    }

    internal static JsonObject FromArrays(string[] names, JsonValue[] values) => new(names, values);

    public JsonValue? this[string name] => TryGetValue(name, out var value) ? value : null;

    public bool ContainsKey(string name) => IndexOf(name) >= 0;

    public bool TryGetValue(string name, out JsonValue value)
    {
        var i = IndexOf(name);
        if (i < 0)
        {
            value = Null;
            return false;
        }
        value = _values[i];
        return true;
    }

    private int IndexOf(string name)
    {
        if (_names.Length <= LinearLookupLimit)
        {
            for (var i = 0; i < _names.Length; i++)
            {
                if (string.Equals(_names[i], name, StringComparison.Ordinal))
                {
                    return i;
                }
            }
            return -1;
        }
        var index = _index;
        if (index is null)
        {
            index = new Dictionary<string, int>(_names.Length, StringComparer.Ordinal);
            for (var i = 0; i < _names.Length; i++)
            {
                index[_names[i]] = i;
            }
            _index = index; // benign race: every thread builds the same map
        }
        return index.TryGetValue(name, out var found) ? found : -1;
    }

    /// <summary>A copy with <paramref name="name"/> set (replaced in place, or appended).</summary>
    public JsonObject SetItem(string name, JsonValue value)
    {
        var i = IndexOf(name);
        if (i >= 0)
        {
            var values = (JsonValue[])_values.Clone();
            values[i] = value;
            return new JsonObject(_names, values);
        }
        var newNames = new string[_names.Length + 1];
        var newValues = new JsonValue[_values.Length + 1];
        Array.Copy(_names, newNames, _names.Length);
        Array.Copy(_values, newValues, _values.Length);
        newNames[^1] = name;
        newValues[^1] = value;
        return new JsonObject(newNames, newValues);
    }

    protected override int ComputeUtf8Size()
    {
        var size = 2 + Math.Max(0, _names.Length - 1);
        for (var i = 0; i < _names.Length; i++)
        {
            size += JsonText.EscapedUtf8Length(_names[i]) + 3 + _values[i].Utf8Size;
        }
        return size;
    }

    public override void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        for (var i = 0; i < _names.Length; i++)
        {
            writer.WritePropertyName(_names[i]);
            _values[i].WriteTo(writer);
        }
        writer.WriteEndObject();
    }

    /// <summary>Objects are equal when they have the same members, in any order.</summary>
    public override bool Equals(JsonValue? other)
    {
        if (other is not JsonObject o || o.Count != Count)
        {
            return false;
        }
        for (var i = 0; i < _names.Length; i++)
        {
            if (!o.TryGetValue(_names[i], out var value) || !value.Equals(_values[i]))
            {
                return false;
            }
        }
        return true;
    }

    public override int GetHashCode()
    {
        var hash = 0;
        for (var i = 0; i < _names.Length; i++)
        {
            hash ^= HashCode.Combine(StringComparer.Ordinal.GetHashCode(_names[i]), _values[i]);
        }
        return hash;
    }
}

/// <summary>Accumulates members for a <see cref="JsonObject"/>.</summary>
public sealed class JsonObjectBuilder
{
    private readonly List<string> _names;
    private readonly List<JsonValue> _values;

    public JsonObjectBuilder(int capacity = 4)
    {
        _names = new List<string>(capacity);
        _values = new List<JsonValue>(capacity);
    }

    public int Count => _names.Count;

    public JsonObjectBuilder Set(string name, JsonValue value)
    {
        var i = _names.IndexOf(name);
        if (i >= 0)
        {
            _values[i] = value;
        }
        else
        {
            _names.Add(name);
            _values.Add(value);
        }
        return this;
    }

    public JsonObjectBuilder Set(string name, string value) => Set(name, new JsonString(value));

    public JsonObjectBuilder Set(string name, long value) => Set(name, JsonNumber.FromInt64(value));

    public JsonObjectBuilder Set(string name, bool value) => Set(name, JsonValue.FromBoolean(value));

    public JsonObject Build() => _names.Count == 0 ? JsonObject.Empty : JsonObject.FromArrays([.. _names], [.. _values]);
}
