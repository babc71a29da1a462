using Amazon.DynamoDBv2.Model;
using OrderFlow.Json;

namespace OrderFlow.Aws;

/// <summary>
/// DynamoDB attribute values between their JSON shape (<c>{"S":"x"}</c>, <c>{"N":"1"}</c>, <c>{"M":{...}}</c>, the shape
/// Step Functions passes) and the SDK's <see cref="AttributeValue"/>
/// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeValue.html).
/// </summary>
internal static class AttributeValues
{
    public static Dictionary<string, AttributeValue>? ToSdkMap(JsonValue? json) =>
        json is JsonObject map ? map.Members.ToDictionary(m => m.Key, m => ToSdk(m.Value), StringComparer.Ordinal) : null;

    public static AttributeValue ToSdk(JsonValue json)
    {
        if (json is not JsonObject { Count: 1 } typed)
        {
            throw new AttributeValueException($"An attribute value is an object with exactly one type key, not {json.ToJsonString()}");
        }
        var (type, value) = typed.Members[0];
        return type switch
        {
            "S" => new AttributeValue { S = Text(value, type) },
            "N" => new AttributeValue { N = Text(value, type) },
            "B" => new AttributeValue { B = new MemoryStream(Convert.FromBase64String(Text(value, type))) },
            "BOOL" => new AttributeValue { BOOL = value is JsonBoolean b ? b.Value : throw new AttributeValueException("BOOL takes true or false") },
            "NULL" => new AttributeValue { NULL = true },
            "M" => new AttributeValue { M = ToSdkMap(value) ?? throw new AttributeValueException("M takes an object") },
            "L" => new AttributeValue { L = value is JsonArray l ? [.. l.Select(ToSdk)] : throw new AttributeValueException("L takes an array") },
            "SS" => new AttributeValue { SS = Texts(value, type) },
            "NS" => new AttributeValue { NS = Texts(value, type) },
            "BS" => new AttributeValue { BS = [.. Texts(value, type).Select(t => new MemoryStream(Convert.FromBase64String(t)))] },
            _ => throw new AttributeValueException($"Unknown attribute value type \"{type}\""),
        };
    }

    public static JsonObject? FromSdkMap(Dictionary<string, AttributeValue>? map) =>
        map is null ? null : JsonObject.Create(map.Select(m => new KeyValuePair<string, JsonValue>(m.Key, FromSdk(m.Value))));

    public static JsonObject FromSdk(AttributeValue value)
    {
        var builder = new JsonObjectBuilder(1);
        if (value.S is not null)
        {
            builder.Set("S", value.S);
        }
        else if (value.N is not null)
        {
            builder.Set("N", value.N);
        }
        else if (value.B is not null)
        {
            builder.Set("B", Convert.ToBase64String(value.B.ToArray()));
        }
        else if (value.SS is not null)
        {
            builder.Set("SS", Strings(value.SS));
        }
        else if (value.NS is not null)
        {
            builder.Set("NS", Strings(value.NS));
        }
        else if (value.BS is not null)
        {
            builder.Set("BS", Strings(value.BS.Select(b => Convert.ToBase64String(b.ToArray()))));
        }
        else if (value.M is not null)
        {
            builder.Set("M", FromSdkMap(value.M)!);
        }
        else if (value.L is not null)
        {
            builder.Set("L", new JsonArray([.. value.L.Select(v => (JsonValue)FromSdk(v))]));
        }
        else if (value.BOOL is { } b)
        {
            builder.Set("BOOL", b);
        }
        else
        {
            builder.Set("NULL", true);
        }
        return builder.Build();
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonValue)new JsonString(v))]);

    private static string Text(JsonValue value, string type) =>
        value is JsonString s ? s.Value : throw new AttributeValueException($"{type} takes a string");

    private static List<string> Texts(JsonValue value, string type) =>
        value is JsonArray a ? [.. a.Select(v => Text(v, type))] : throw new AttributeValueException($"{type} takes an array of strings");
}

/// <summary>A request carries an attribute value DynamoDB would reject; reported as ValidationException.</summary>
internal sealed class AttributeValueException(string message) : Exception(message);
