using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using OrderFlow.Json;
using OrderFlow.Orders.Validation;
using OrderFlow.Orders.Validation.Proof;

namespace OrderFlow.Orders.Tests;

/// <summary>
/// The compiled proof in front of JsonSchema.Net is sound: over a corpus of single-field mutations of valid orders
/// (every field, every edge the schema draws), whatever it claims for certain, JsonSchema.Net agrees with.
/// </summary>
public class SchemaProofTests
{
    private static readonly OrderValidator Validator = new();

    private static readonly string[] Bases =
    [
        """{"order-info":{"OrderId":"A-1","item-id":"101","item-desc":"Item One","qty":"2","unit-price":"12.50","currency":"EUR","order-date":"2026-11-25T10:00:00Z","status":"paid"},"contact-info":{"name":"Foo Bar","email":"foobar@test.com","phone":"+49 30 1234567","country":"DE"}}""",
        """{"order-info":{"OrderId":"ORD-00000002","item-id":"SKU-10171","qty":1,"unit-price":428.69,"currency":"USD","order-date":"2025-05-15","status":"shipped"},"contact-info":{"name":"Efrain Heaney","email":"efrain.heaney142@mail.example"}}""",
        """{"order-info":{"OrderId":"B7","items":[{"item-id":"x","qty":3},{"item-id":"y","qty":"1","unit-price":"0.99"}]},"contact-info":{"name":"Zoë Ünal","email":"zoe@example.org"}}""",
    ];

    private static readonly string[] Values =
    [
        "null", "true", "0", "1", "-1", "2", "999999999", "1000000000", "9999999999999.99", "10000000000000", "1e400", "1.0", "1.5", "-2.25", "3.000001", "1.10", "1.0000000000000000000000000001", "1e2", "1.5e1", "-0", "1E400", "123456789012345678901234567890", "0.00001", "-0.0",
        "\"\"", "\" \"", "\"\\u00a0\"", "\"\\u2003x\"", "\"a\"", "\"1\"", "\"01\"", "\"0\"", "\"999999999\"", "\"1000000000\"", "\"-3\"",
        "\"1.5\"", "\"12.3456\"", "\"12.34567\"", "\"0.99\"", "\"EUR\"", "\"eur\"", "\"ABC\"", "\"EURO\"", "\"DE\"", "\"de\"", "\"XX\"",
        "\"paid\"", "\"Paid\"", "\"lost\"", "\"2026-11-25\"", "\"2026-11-25T10:00:00Z\"", "\"2026-11-25T10:00:00+01:00\"", "\"2026-11-25 10:00:00Z\"",
        "\"2026-02-30\"", "\"2026-11-25T25:00:00Z\"", "\"25/11/2026\"", "\"a@b.co\"", "\"a.b+c@sub.example.com\"", "\"a@b\"", "\"a@@b.com\"",
        "\"a..b@c.com\"", "\".a@c.com\"", "\"a@-c.com\"", "\"\\\"q\\\"@c.com\"", "\"a@[1.2.3.4]\"", "\"not-an-email\"", "\"+1 (555) 010-2000\"",
        "\"12\"", "\"phone\"", "\"e\\u0301\"", "\"\\ud83d\\ude00\"", "\"ABC\\n\"", "\"\\n\"", "\"x\\u0000y\"", "[]", "[1]", "{}", "{\"a\":1}",
        "[{\"item-id\":\"q\",\"qty\":1}]", "[{\"item-id\":\"q\"}]", "[{\"item-id\":\"\",\"qty\":1}]", "[{\"item-id\":\"q\",\"qty\":0}]",
        "\"" + new string('x', 128) + "\"", "\"" + new string('x', 129) + "\"", "\"" + new string('x', 256) + "\"", "\"" + new string('x', 257) + "\"",
        "\"" + string.Concat(Enumerable.Repeat("e\\u0301", 200)) + "\"", "\"" + string.Concat(Enumerable.Repeat("\\u00e9", 130)) + "\"",
    ];

    private static readonly (string Section, string Field)[] Fields =
    [
        ("order-info", "OrderId"), ("order-info", "item-id"), ("order-info", "item-desc"), ("order-info", "qty"), ("order-info", "unit-price"),
        ("order-info", "currency"), ("order-info", "order-date"), ("order-info", "status"), ("order-info", "items"),
        ("contact-info", "name"), ("contact-info", "email"), ("contact-info", "phone"), ("contact-info", "country"),
    ];

    /// <summary>Every base order with one field replaced by every value, or removed; and whole sections replaced.</summary>
    public static IEnumerable<JsonValue> Corpus()
    {
        foreach (var text in Bases)
        {
            var order = (JsonObject)JsonValue.Parse(text);
            yield return order;
            foreach (var (section, field) in Fields)
            {
                var part = (JsonObject)order[section]!;
                yield return order.SetItem(section, JsonObject.Create(part.Members.Where(m => m.Key != field)));
                foreach (var value in Values)
                {
                    yield return order.SetItem(section, part.SetItem(field, JsonValue.Parse(value)));
                }
            }
            foreach (var value in Values)
            {
                yield return order.SetItem("contact-info", JsonValue.Parse(value));
                yield return order.SetItem("order-info", JsonValue.Parse(value));
            }
        }
        foreach (var value in Values)
        {
            yield return JsonValue.Parse(value);
        }
    }

    [Fact]
    public void Check_EveryCertainVerdict_AgreesWithJsonSchemaNet()
    {
        var disagreements = new List<string>();
        int certain = 0, total = 0;
        foreach (var order in Corpus())
        {
            total++;
            var verdict = Validator.Prove(order);
            if (verdict == Verdict.Unknown)
            {
                continue;
            }
            certain++;
            if ((verdict == Verdict.Valid) != Validator.EvaluateWithJsonSchemaNet(order))
            {
                disagreements.Add($"{verdict}: {order.ToJsonString()}");
            }
        }
        Assert.Empty(disagreements);
        Assert.True(certain > total * 9 / 10, $"the proof was certain for only {certain} of {total} instances");
    }

    [Fact]
    public void Check_ValidBaseOrders_AreProvenWithoutJsonSchemaNet()
    {
        foreach (var text in Bases)
        {
            Assert.Equal(Verdict.Valid, Validator.Prove(JsonValue.Parse(text)));
        }
    }

    [Theory]
    [InlineData("""{"type":"object","additionalProperties":false}""", """{"a":1}""")]
    [InlineData("""{"$ref":"https://example.com/other.json"}""", """{}""")]
    [InlineData("""{"$schema":"http://json-schema.org/draft-07/schema#","type":"object"}""", """{}""")]
    [InlineData("""{"type":"string","format":"made-up"}""", "\"x\"")]
    [InlineData("""{"$ref":"#"}""", "{}")]
    public void Check_SchemaBeyondTheCompiledKeywords_IsUnknown(string schema, string instance)
    {
        Assert.Equal(Verdict.Unknown, SchemaProof.Compile(schema).Check(JsonValue.Parse(instance)));
    }

    [Theory]
    [InlineData("""{"not":{"type":"string"}}""", "1", "Valid")]
    [InlineData("""{"oneOf":[{"type":"integer"},{"type":"number"}]}""", "1", "Invalid")]
    [InlineData("""{"oneOf":[{"type":"integer"},{"type":"string"}]}""", "1", "Valid")]
    [InlineData("""{"exclusiveMinimum":0}""", "0", "Invalid")]
    [InlineData("""{"maximum":10}""", "10.0", "Valid")]
    [InlineData("""{"const":"a"}""", "\"a\"", "Valid")]
    [InlineData("""{"enum":[1,2]}""", "\"1\"", "Invalid")]
    [InlineData("""{"enum":[1,2]}""", "1", "Unknown")]
    [InlineData("""{"type":"integer"}""", "1.0", "Unknown")]
    [InlineData("""{"type":"integer"}""", "1.5", "Invalid")]
    [InlineData("""{"type":"integer"}""", "1.0000000000000000000000000001", "Unknown")]
    [InlineData("""{"items":{"type":"string"},"maxItems":1}""", "[\"a\",\"b\"]", "Invalid")]
    [InlineData("""{"$defs":{"p":{"type":"string"}},"properties":{"a":{"$ref":"#/$defs/p"}}}""", """{"a":"x"}""", "Valid")]
    public void Check_Keywords_GiveTheCertainVerdict(string schema, string instance, string expected)
    {
        Assert.Equal(Enum.Parse<Verdict>(expected), new OrderValidator(schema).Prove(JsonValue.Parse(instance)));
    }

    [Fact]
    public void ContentHashAsWritten_EveryCorpusOrder_EqualsTheCanonicalStringHash()
    {
        foreach (var order in Corpus())
        {
            Assert.Equal(ReferenceHash(order, numericStrings: false), ContentHash.AsWritten(order));
        }
    }

    [Fact]
    public void ContentHashOf_EveryCorpusOrder_EqualsTheCanonicalStringHashWithDecimalStringsAsNumbers()
    {
        var differing = 0;
        foreach (var order in Corpus())
        {
            var expected = ReferenceHash(order, numericStrings: true);
            Assert.Equal(expected, ContentHash.Of(order));
            differing += expected == ReferenceHash(order, numericStrings: false) ? 0 : 1;
        }
        Assert.True(differing > 100, $"only {differing} corpus orders have a quantity or price written as a decimal string");
    }

    // The content hash as first defined (a canonical string, then SHA-256): stored items carry it, so it must not
    // change. With numericStrings, a qty or unit-price string holding a decimal number is written as that number.
    private static string ReferenceHash(JsonValue order, bool numericStrings) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(order, numericStrings)))).ToLowerInvariant()[..32];

    private static string Canonical(JsonValue value, bool numericStrings) => value switch
    {
        JsonObject o => "{" + string.Join(",", o.Members.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m =>
            new JsonString(m.Key).ToJsonString() + ":" + (numericStrings && m.Key is "qty" or "unit-price" && AsDecimal(m.Value) is { } number
                ? number.ToString("R", CultureInfo.InvariantCulture)
                : Canonical(m.Value, numericStrings)))) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(v => Canonical(v, numericStrings))) + "]",
        JsonNumber n => n.Value.ToString("R", CultureInfo.InvariantCulture),
        _ => value.ToJsonString(),
    };

    private static double? AsDecimal(JsonValue value) =>
        value is JsonString s && System.Text.RegularExpressions.Regex.IsMatch(s.Value, @"\A-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?\z")
            && double.Parse(s.Value, CultureInfo.InvariantCulture) is var d && double.IsFinite(d) ? d : null;
}
