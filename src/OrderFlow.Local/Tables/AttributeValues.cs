using System.Globalization;
using System.Text;
using OrderFlow.Json;

namespace OrderFlow.Local.Tables;

/// <summary>
/// DynamoDB attribute values in DynamoDB JSON (<c>{"S":"x"}</c>, <c>{"N":"1"}</c>, <c>{"M":{...}}</c>, ...):
/// validation, comparison, equality and size, as DynamoDB defines them
/// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeValue.html).
/// </summary>
internal static class AttributeValues
{
    /// <summary>The value's data type (S, N, B, BOOL, NULL, M, L, SS, NS, BS), or null when it has none or several.</summary>
    public static string? TypeOf(JsonValue value) => value is JsonObject { Count: 1 } o ? DataType(o.NameAt(0)) : null;

    // Told apart by length and first character: every item's every attribute is typed several times per write.
    private static string? DataType(string name) => name.Length switch
    {
        1 => name[0] switch { 'S' => "S", 'N' => "N", 'B' => "B", 'M' => "M", 'L' => "L", _ => null },
        2 when name[1] == 'S' => name[0] switch { 'S' => "SS", 'N' => "NS", 'B' => "BS", _ => null },
        4 => name == "BOOL" ? "BOOL" : name == "NULL" ? "NULL" : null,
        _ => null,
    };

    public static JsonValue Payload(JsonValue value) => ((JsonObject)value).ValueAt(0);

    public static JsonObject Of(string type, JsonValue payload) => new JsonObjectBuilder(1).Set(type, payload).Build();

    public static JsonObject String(string s) => Of("S", new JsonString(s));

    public static JsonObject Number(decimal n) => Of("N", new JsonString(n.ToString(CultureInfo.InvariantCulture)));

    /// <summary>
    /// The deepest level a value may sit at, the top-level attribute's value being level 1: DynamoDB refuses an item
    /// nested deeper (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-attributes).
    /// </summary>
    public const int MaxNestingLevels = 32;

    /// <summary>The message DynamoDB gives for a value nested deeper than <see cref="MaxNestingLevels"/>.</summary>
    public const string NestingExceeded = "Nesting Levels have exceeded supported limits";

    /// <summary>Null when valid; otherwise why not, naming <paramref name="path"/>.</summary>
    /// <remarks>A first pass builds no path strings (items are checked on every write); only an invalid value is walked again to say where.</remarks>
    public static string? Validate(JsonValue value, string path) =>
        Check(value, path, 1, describe: false) is null ? null : Check(value, path, 1, describe: true);

    private static string? Check(JsonValue value, string path, int level, bool describe)
    {
        if (level > MaxNestingLevels)
        {
            return describe ? $"{NestingExceeded}: {path} is nested deeper than {MaxNestingLevels} levels" : NestingExceeded;
        }
        var type = TypeOf(value);
        if (type is null)
        {
            return $"Supplied AttributeValue at {path} is empty or has more than one data type, or an unknown one: {Truncate(value)}";
        }
        var payload = Payload(value);
        switch (type)
        {
            case "S":
                return payload is JsonString ? null : $"{path}: S must be a string";
            case "N":
                return payload is JsonString n && TryNumber(n.Value, out _) ? null : $"{path}: N must be a string holding a number, not {Truncate(payload)}";
            case "B":
                return payload is JsonString b && IsBase64(b.Value) ? null : $"{path}: B must be a base64 string";
            case "BOOL":
                return payload is JsonBoolean ? null : $"{path}: BOOL must be true or false";
            case "NULL":
                return payload is JsonBoolean { Value: true } ? null : $"{path}: NULL must be true";
            case "M":
                if (payload is not JsonObject map)
                {
                    return $"{path}: M must be an object";
                }
                foreach (var (name, member) in map.Members)
                {
                    if (Check(member, describe ? $"{path}.{name}" : path, level + 1, describe) is { } error)
                    {
                        return error;
                    }
                }
                return null;
            case "L":
                if (payload is not JsonArray list)
                {
                    return $"{path}: L must be an array";
                }
                for (var i = 0; i < list.Count; i++)
                {
                    if (Check(list[i], describe ? $"{path}[{i}]" : path, level + 1, describe) is { } error)
                    {
                        return error;
                    }
                }
                return null;
            default:
                if (payload is not JsonArray set || set.Count == 0)
                {
                    return $"{path}: an empty set is not allowed; {type} must hold at least one element";
                }
                if (set.Any(e => e is not JsonString))
                {
                    return $"{path}: {type} elements must be strings";
                }
                var values = set.Select(e => ((JsonString)e).Value).ToList();
                if (type == "NS" && values.Any(v => !TryNumber(v, out _)))
                {
                    return $"{path}: NS elements must be numbers";
                }
                var distinct = type == "NS" ? values.Select(v => Normalize(v)).Distinct().Count() : values.Distinct(StringComparer.Ordinal).Count();
                return distinct == values.Count ? null : $"Input collection {path} contains duplicates.";
        }
    }

    public static bool TryNumber(string text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>The canonical text of a number, so that 1, 1.0 and 1e0 are one key.</summary>
    public static string Normalize(string number) =>
        TryNumber(number, out var d) ? (d / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture) : number;

    /// <summary>A key value as stored: type-tagged canonical text; S and B compare as stored, N needs its number.</summary>
    public static string KeyText(JsonValue value) => TypeOf(value) switch
    {
        "N" => Normalize(((JsonString)Payload(value)).Value),
        _ => ((JsonString)Payload(value)).Value,
    };

    /// <summary>Orders two scalars of one type (S by UTF-8 bytes, N by value, B by bytes); null when not comparable.</summary>
    public static int? Compare(JsonValue a, JsonValue b)
    {
        var type = TypeOf(a);
        if (type is null || type != TypeOf(b))
        {
            return null;
        }
        var x = Payload(a);
        var y = Payload(b);
        return type switch
        {
            "S" => Utf8Compare(((JsonString)x).Value, ((JsonString)y).Value),
            "N" => TryNumber(((JsonString)x).Value, out var m) && TryNumber(((JsonString)y).Value, out var n) ? m.CompareTo(n) : null,
            "B" => Convert.FromBase64String(((JsonString)x).Value).AsSpan().SequenceCompareTo(Convert.FromBase64String(((JsonString)y).Value)),
            _ => null,
        };
    }

    public static int Utf8Compare(string a, string b) => Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b));

    /// <summary>DynamoDB equality: numbers by value, sets regardless of order, maps and lists deeply.</summary>
    public static bool AreEqual(JsonValue a, JsonValue b)
    {
        var type = TypeOf(a);
        if (type is null || type != TypeOf(b))
        {
            return false;
        }
        var x = Payload(a);
        var y = Payload(b);
        switch (type)
        {
            case "N":
                return Compare(a, b) == 0;
            case "SS" or "BS":
                return ((JsonArray)x).Select(v => ((JsonString)v).Value).ToHashSet().SetEquals(((JsonArray)y).Select(v => ((JsonString)v).Value));
            case "NS":
                return ((JsonArray)x).Select(v => Normalize(((JsonString)v).Value)).ToHashSet().SetEquals(((JsonArray)y).Select(v => Normalize(((JsonString)v).Value)));
            case "M":
                var mx = (JsonObject)x;
                var my = (JsonObject)y;
                return mx.Count == my.Count && mx.Members.All(m => my.TryGetValue(m.Key, out var other) && AreEqual(m.Value, other));
            case "L":
                var lx = (JsonArray)x;
                var ly = (JsonArray)y;
                return lx.Count == ly.Count && lx.Zip(ly).All(p => AreEqual(p.First, p.Second));
            default:
                return x.Equals(y);
        }
    }

    /// <summary>The size DynamoDB counts toward the 400 KB item limit: names plus values.</summary>
    public static int ItemSize(JsonObject item) => MembersSize(item, perMember: 0);

    private static int MembersSize(JsonObject members, int perMember)
    {
        var size = 0;
        for (var i = 0; i < members.Count; i++)
        {
            size += Encoding.UTF8.GetByteCount(members.NameAt(i)) + perMember + ValueSize(members.ValueAt(i));
        }
        return size;
    }

    private static int ValueSize(JsonValue value)
    {
        var payload = Payload(value);
        switch (TypeOf(value))
        {
            case "S":
                return ((JsonString)payload).Utf8ByteCount;
            case "N":
                return (((JsonString)payload).Value.Length / 2) + 1;
            case "B":
                return Convert.FromBase64String(((JsonString)payload).Value).Length;
            case "BOOL" or "NULL":
                return 1;
            case "M":
                return 3 + MembersSize((JsonObject)payload, perMember: 1);
            case "L":
                var list = 3;
                foreach (var element in (JsonArray)payload)
                {
                    list += 1 + ValueSize(element);
                }
                return list;
            default:
                var set = 0;
                foreach (var element in (JsonArray)payload)
                {
                    set += Encoding.UTF8.GetByteCount(((JsonString)element).Value);
                }
                return set;
        }
    }

    private static bool IsBase64(string text)
    {
        Span<byte> buffer = text.Length <= 4096 ? stackalloc byte[text.Length] : new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out _);
    }

    private static string Truncate(JsonValue value)
    {
        var text = value.ToJsonString();
        return text.Length <= 200 ? text : text[..200] + "...";
    }
}
