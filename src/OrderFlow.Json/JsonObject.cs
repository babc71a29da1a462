using System.Text.Json;

namespace OrderFlow.Json;

/// <summary>An immutable JSON object that keeps its members in insertion order.</summary>
public sealed class JsonObject : JsonValue
{
    private const int LinearLookupLimit = 16;

    public static readonly JsonObject Empty = new([]);

    // One array of pairs rather than two arrays: an order file holds millions of small objects.
    private readonly KeyValuePair<string, JsonValue>[] _members;
    private Dictionary<string, int>? _index;
    private int _utf8Size = -1;

    private JsonObject(KeyValuePair<string, JsonValue>[] members) => _members = members;

    public override JsonKind Kind => JsonKind.Object;

    public int Count => _members.Length;

    public IEnumerable<string> Names => _members.Select(m => m.Key);

    public IReadOnlyList<KeyValuePair<string, JsonValue>> Members => _members;

    public string NameAt(int index) => _members[index].Key;

    public JsonValue ValueAt(int index) => _members[index].Value;

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

    /// <summary>An object of one member.</summary>
    public static JsonObject Of(string name, JsonValue value) => new([new(name, value)]);

    /// <summary>
    /// An object of <paramref name="members"/>, taking ownership of the array (the caller must not change it later) —
    /// for hot paths that know their names are distinct (literal names, a template's fields), which is checked only in
    /// debug builds. Anything else goes through <see cref="JsonObjectBuilder"/>, which replaces a repeated name.
    /// </summary>
    public static JsonObject FromDistinct(KeyValuePair<string, JsonValue>[] members)
    {
        System.Diagnostics.Debug.Assert(members.Select(m => m.Key).Distinct(StringComparer.Ordinal).Count() == members.Length, "member names must be distinct");
        return FromMembers(members);
    }

    /// <summary>A parsed object (distinct names, owned array) whose compact text size the parser summed.</summary>
    internal static JsonObject FromParsed(KeyValuePair<string, JsonValue>[] members, int utf8Size)
    {
        var o = FromMembers(members);
        if (members.Length > 0)
        {
            System.Diagnostics.Debug.Assert(utf8Size == o.ComputeUtf8Size(), "the parser's size is the object's compact text size");
            o._utf8Size = utf8Size;
        }
        return o;
    }

    /// <summary>Takes ownership of <paramref name="members"/>, whose names must be distinct.</summary>
    internal static JsonObject FromMembers(KeyValuePair<string, JsonValue>[] members) => members.Length == 0 ? Empty : new(members);

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
        value = _members[i].Value;
        return true;
    }

    private int IndexOf(string name)
    {
        var members = _members;
        if (members.Length <= LinearLookupLimit)
        {
            // Parsed names are interned (NameTable), so a lookup by a literal name nearly always finds the very same
            // string: one pass of reference comparisons first, the comparison of characters only when that fails.
            for (var i = 0; i < members.Length; i++)
            {
                if ((object)members[i].Key == name)
                {
                    return i;
                }
            }
            for (var i = 0; i < members.Length; i++)
            {
                var key = members[i].Key;
                if (key.Length == name.Length && string.Equals(key, name, StringComparison.Ordinal))
                {
                    return i;
                }
            }
            return -1;
        }
        var index = _index;
        if (index is null)
        {
            index = new Dictionary<string, int>(members.Length, StringComparer.Ordinal);
            for (var i = 0; i < members.Length; i++)
            {
                index[members[i].Key] = i;
            }
            _index = index; // benign race: every thread builds the same map
        }
        return index.TryGetValue(name, out var found) ? found : -1;
    }

    /// <summary>A copy with <paramref name="name"/> set (replaced in place, or appended).</summary>
    public JsonObject SetItem(string name, JsonValue value)
    {
        var i = IndexOf(name);
        KeyValuePair<string, JsonValue>[] copy;
        if (i >= 0)
        {
            copy = (KeyValuePair<string, JsonValue>[])_members.Clone();
            copy[i] = new(name, value);
        }
        else
        {
            copy = new KeyValuePair<string, JsonValue>[_members.Length + 1];
            Array.Copy(_members, copy, _members.Length);
            copy[^1] = new(name, value);
        }
        return new JsonObject(copy);
    }

    /// <summary>
    /// Writes the compact JSON text of this object with every member whose value is an object of one member named
    /// <paramref name="wrapper"/> holding a string written as that string: with <c>"S"</c>, <c>{"a":{"S":"x"},"b":{"N":"1"}}</c>
    /// is written <c>{"a":"x","b":{"N":"1"}}</c>. Only this object's own members are unwrapped, not deeper ones.
    /// </summary>
    public void WriteJsonTextUnwrapping(System.Buffers.IBufferWriter<byte> buffer, string wrapper) => CompactText.WriteUnwrapping(this, buffer, wrapper);

    public override int Utf8Size => _utf8Size >= 0 ? _utf8Size : _utf8Size = ComputeUtf8Size();

    private int ComputeUtf8Size()
    {
        var size = 2 + Math.Max(0, _members.Length - 1);
        foreach (var (name, value) in _members)
        {
            size += JsonText.EscapedUtf8Length(name) + 3 + value.Utf8Size;
        }
        return size;
    }

    public override void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in _members)
        {
            writer.WritePropertyName(name);
            value.WriteTo(writer);
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
        foreach (var (name, value) in _members)
        {
            if (!o.TryGetValue(name, out var theirs) || !theirs.Equals(value))
            {
                return false;
            }
        }
        return true;
    }

    public override int GetHashCode()
    {
        var hash = 0;
        foreach (var (name, value) in _members)
        {
            hash ^= HashCode.Combine(StringComparer.Ordinal.GetHashCode(name), value);
        }
        return hash;
    }
}

/// <summary>
/// Accumulates members for a <see cref="JsonObject"/>. Given the exact member count as its capacity, it builds the
/// object without copying its members again.
/// </summary>
public sealed class JsonObjectBuilder(int capacity = 4)
{
    private KeyValuePair<string, JsonValue>[] _members = capacity == 0 ? [] : new KeyValuePair<string, JsonValue>[capacity];
    private int _count;
    private bool _built;

    public int Count => _count;

    public JsonObjectBuilder Set(string name, JsonValue value)
    {
        if (_built)
        {
            // The built object owns the array now.
            _members = (KeyValuePair<string, JsonValue>[])_members.Clone();
            _built = false;
        }
        for (var i = 0; i < _count; i++)
        {
            if (JsonText.SameName(_members[i].Key, name))
            {
                _members[i] = new(name, value);
                return this;
            }
        }
        if (_count == _members.Length)
        {
            Array.Resize(ref _members, Math.Max(4, _count * 2));
        }
        _members[_count++] = new(name, value);
        return this;
    }

    public JsonObjectBuilder Set(string name, string value) => Set(name, new JsonString(value));

    public JsonObjectBuilder Set(string name, long value) => Set(name, JsonNumber.FromInt64(value));

    public JsonObjectBuilder Set(string name, bool value) => Set(name, JsonValue.FromBoolean(value));

    public JsonObject Build()
    {
        if (_count < _members.Length)
        {
            return JsonObject.FromMembers(_members[.._count]);
        }
        _built = true;
        return JsonObject.FromMembers(_members);
    }
}
