using System.Text;
using OrderFlow.Json;
using OrderFlow.Orders;
using OrderFlow.Orders.Validation;

namespace OrderFlow.Orders.Tests;

/// <summary>The order schema and business rules: every violation reported at once, each with its path.</summary>
public class OrderValidatorTests
{
    private static readonly OrderValidator Validator = new();

    private const string Valid = """
        {"order-info":{"OrderId":"A-1","item-id":"101","item-desc":"Item One","qty":"2","unit-price":"12.50","currency":"EUR",
                       "order-date":"2026-11-25T10:00:00Z","status":"paid"},
         "contact-info":{"name":"Foo Bar","email":"foobar@test.com","phone":"+49 30 1234567","country":"DE"}}
        """;

    private static IReadOnlyList<Violation> Check(string json) => Validator.Validate(JsonValue.Parse(json));

    /// <summary>The valid order with one member replaced (or removed when <paramref name="value"/> is null).</summary>
    private static string With(string section, string field, string? value)
    {
        var order = (JsonObject)JsonValue.Parse(Valid);
        var part = (JsonObject)order[section]!;
        part = value is null ? JsonObject.Create(part.Members.Where(m => m.Key != field)) : part.SetItem(field, JsonValue.Parse(value));
        return order.SetItem(section, part).ToJsonString();
    }

    [Theory]
    [InlineData("order-info", "qty", "2")]
    [InlineData("order-info", "qty", "\"17\"")]
    [InlineData("order-info", "unit-price", "0")]
    [InlineData("order-info", "unit-price", "\"0.99\"")]
    [InlineData("order-info", "order-date", "\"2026-11-25\"")]
    [InlineData("order-info", "status", "\"returned\"")]
    [InlineData("order-info", "currency", null)]
    [InlineData("contact-info", "phone", null)]
    public void Validate_ValidVariants_HaveNoViolations(string section, string field, string? value)
    {
        Assert.Empty(Check(With(section, field, value)));
    }

    [Theory]
    [InlineData("order-info", "OrderId", null, "$.order-info.OrderId", "is required")]
    [InlineData("order-info", "OrderId", "\"\"", "$.order-info.OrderId", "must not be empty")]
    [InlineData("order-info", "OrderId", "\"   \"", "$.order-info.OrderId", "must not be blank")]
    [InlineData("order-info", "OrderId", "7", "$.order-info.OrderId", "must be a string")]
    [InlineData("order-info", "qty", "0", "$.order-info.qty", "must be a positive integer")]
    [InlineData("order-info", "qty", "\"-3\"", "$.order-info.qty", "must be a positive integer")]
    [InlineData("order-info", "qty", "2.5", "$.order-info.qty", "must be a positive integer")]
    [InlineData("order-info", "qty", "\"two\"", "$.order-info.qty", "must be a positive integer")]
    [InlineData("order-info", "unit-price", "-1", "$.order-info.unit-price", "must be a decimal number ≥ 0")]
    [InlineData("order-info", "qty", "1e400", "$.order-info.qty", "must be a positive integer up to 999,999,999")]
    [InlineData("order-info", "qty", "1000000000", "$.order-info.qty", "must be a positive integer up to 999,999,999")]
    [InlineData("order-info", "unit-price", "1e13", "$.order-info.unit-price", "under 10,000,000,000,000")]
    [InlineData("order-info", "unit-price", "1e400", "$.order-info.unit-price", "under 10,000,000,000,000")]
    [InlineData("order-info", "currency", "\"EURO\"", "$.order-info.currency", "ISO 4217")]
    [InlineData("order-info", "currency", "\"ABC\"", "$.order-info.currency", "is not an ISO 4217 currency code")]
    [InlineData("order-info", "order-date", "\"25/11/2026\"", "$.order-info.order-date", "ISO 8601")]
    [InlineData("order-info", "status", "\"lost\"", "$.order-info.status", "must be one of placed, paid")]
    [InlineData("order-info", "item-id", "\"\"", "$.order-info.item-id", "non-empty string")]
    [InlineData("contact-info", "email", "\"not-an-email\"", "$.contact-info.email", "valid email address")]
    [InlineData("contact-info", "email", null, "$.contact-info.email", "is required")]
    [InlineData("contact-info", "name", null, "$.contact-info.name", "is required")]
    [InlineData("contact-info", "country", "\"XX\"", "$.contact-info.country", "ISO 3166-1")]
    [InlineData("contact-info", "country", "\"germany\"", "$.contact-info.country", "ISO 3166-1")]
    [InlineData("contact-info", "phone", "\"call me\"", "$.contact-info.phone", "phone number")]
    public void Validate_InvalidField_ReportsPathAndReason(string section, string field, string? value, string path, string reason)
    {
        var violations = Check(With(section, field, value));
        Assert.True(violations.Any(v => v.Path == path && v.Message.Contains(reason, StringComparison.Ordinal)),
            $"expected {path}: {reason}; got {string.Join("; ", violations)}");
    }

    [Fact]
    public void Validate_SeedSecondOrder_ReportsMissingContactInfo()
    {
        var orders = (JsonArray)((JsonObject)JsonValue.Parse(File.ReadAllText(Path.Combine("samples", "seed", "orders.json"))))["orders"]!;
        Assert.Empty(Validator.Validate(orders[0]));
        var violations = Validator.Validate(orders[1]);
        Assert.Contains(violations, v => v.Path == "$.contact-info" && v.Message == "is required");
        Assert.Contains(violations, v => v.Path == "$.order-info.OrderId" && v.Message == "is required");
    }

    [Fact]
    public void Validate_SeveralProblems_AreAllReportedAtOnce()
    {
        var violations = Check("""{"order-info":{"OrderId":"","qty":0,"currency":"XYZ"},"contact-info":{"name":"","email":"x"}}""");
        var paths = violations.Select(v => v.Path).ToHashSet();
        Assert.Superset(new HashSet<string> { "$.order-info.OrderId", "$.order-info", "$.order-info.qty", "$.order-info.currency", "$.contact-info.name", "$.contact-info.email" }, paths);
        Assert.True(violations.Count >= 6, string.Join("; ", violations));
    }

    [Fact]
    public void Validate_LineItems_ReplaceItemIdAndQty_AndEachIsChecked()
    {
        Assert.Empty(Check("""{"order-info":{"OrderId":"L-1","items":[{"item-id":"a","qty":1},{"item-id":"b","qty":"3","unit-price":"2.00"}]},"contact-info":{"name":"N","email":"n@example.com"}}"""));
        var violations = Check("""{"order-info":{"OrderId":"L-2","items":[{"item-id":"a","qty":0},{"qty":1}]},"contact-info":{"name":"N","email":"n@example.com"}}""");
        Assert.Contains(violations, v => v.Path == "$.order-info.items[0].qty");
        Assert.Contains(violations, v => v.Path == "$.order-info.items[1].item-id" && v.Message == "is required");
    }

    [Fact]
    public void Validate_NotAnObject_IsRejected()
    {
        Assert.Contains(Check("[1,2]"), v => v.Path == "$" && v.Message.Contains("object", StringComparison.Ordinal));
    }

    [Fact]
    public void Handle_ValidOrder_ReturnsItemToStoreWithStringsAndHash()
    {
        using var output = ValidateOrderFunction.Handle(new MemoryStream(Encoding.UTF8.GetBytes(Valid)));
        var result = (JsonObject)JsonValue.Parse(new StreamReader(output).ReadToEnd());
        Assert.Equal(JsonValue.True, result["valid"]);
        var item = (JsonObject)result["item"]!;
        Assert.Equal(JsonValue.Parse("""{"S":"A-1"}"""), item["OrderId"]);
        Assert.Equal(JsonValue.Parse("""{"S":"2"}"""), item["qty"]);
        Assert.Equal(JsonValue.Parse("""{"S":"foobar@test.com"}"""), item["contact-email"]);
        Assert.Equal(result["contentHash"], ((JsonObject)item["contentHash"]!)["S"]);
    }

    [Fact]
    public void Handle_InvalidOrderWithSource_ReturnsViolationsAndKeepsSource()
    {
        var input = """{"order":{"order-info":{"OrderId":"2","item-id":"102","qty":"2"}},"source":{"bucket":"b","key":"k","position":1}}""";
        using var output = ValidateOrderFunction.Handle(new MemoryStream(Encoding.UTF8.GetBytes(input)));
        var result = (JsonObject)JsonValue.Parse(new StreamReader(output).ReadToEnd());
        Assert.Equal(JsonValue.False, result["valid"]);
        Assert.Equal(new JsonString("2"), result["orderId"]);
        Assert.Equal(JsonValue.Parse("""{"bucket":"b","key":"k","position":1}"""), result["source"]);
        Assert.Contains(((JsonArray)result["violations"]!).Cast<JsonObject>(), v => v["path"] is JsonString { Value: "$.contact-info" });
    }

    /// <summary>
    /// The payloads Step Functions' lambda:invoke sends the function in the pipeline (<c>"Payload.$": "$"</c> of the
    /// Distributed Map's ItemSelector output), one per ItemReader shape: a JSON or JSON Lines item as-is, a CSV row as
    /// strings keyed by the header, empty cells as empty strings.
    /// </summary>
    [Theory]
    [InlineData("""{"order":{"order-info":{"OrderId":"J-1","item-id":"101","qty":2},"contact-info":{"name":"Ann","email":"ann@example.com"}},"source":{"bucket":"orderflow-inbox","key":"orders.jsonl","position":0}}""", true, "J-1")]
    [InlineData("""{"order":{"OrderId":"C-1","item-id":"101","item-desc":"","qty":"2","unit-price":"","currency":"EUR","order-date":"","status":"","contact-name":"Ann","contact-email":"ann@example.com","phone":"","country":""},"source":{"bucket":"orderflow-inbox","key":"orders.csv","position":4}}""", true, "C-1")]
    [InlineData("""{"order":{"OrderId":"C-2","item-id":"101","item-desc":"","qty":"0","unit-price":"","currency":"","order-date":"","status":"","contact-name":"","contact-email":"","phone":"","country":""},"source":{"bucket":"orderflow-inbox","key":"orders.csv","position":5}}""", false, "C-2")]
    [InlineData("""{"order":"not an order","source":{"bucket":"orderflow-inbox","key":"orders.json","position":2}}""", false, null)]
    [InlineData("""{"order":null,"source":{"bucket":"orderflow-inbox","key":"orders.json","position":3}}""", false, null)]
    public void Handle_StepFunctionsPayloadOfEveryItemShape_AnswersWithoutThrowing(string payload, bool valid, string? orderId)
    {
        using var output = ValidateOrderFunction.Handle(new MemoryStream(Encoding.UTF8.GetBytes(payload)));
        var result = (JsonObject)JsonValue.Parse(new StreamReader(output).ReadToEnd());
        Assert.Equal(JsonValue.FromBoolean(valid), result["valid"]);
        Assert.Equal(orderId is null ? JsonValue.Null : new JsonString(orderId), result["orderId"] ?? JsonValue.Null);
        Assert.Equal(((JsonObject)JsonValue.Parse(payload))["source"], result["source"]);
        if (!valid)
        {
            Assert.NotEmpty((JsonArray)result["violations"]!);
        }
    }

    [Fact]
    public void Handle_BytesThatAreNotJson_RejectsTheOrderInsteadOfFailingTheInvocation()
    {
        using var output = ValidateOrderFunction.Handle(new MemoryStream([0xff, 0xfe, 0x7b, 0x00]));
        var result = (JsonObject)JsonValue.Parse(new StreamReader(output).ReadToEnd());
        Assert.Equal(JsonValue.False, result["valid"]);
        Assert.Contains("not valid JSON", result.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ContentHash_IgnoresMemberOrder_ButSeesChanges()
    {
        var a = (JsonObject)JsonValue.Parse("""{"order-info":{"OrderId":"1","qty":"1"},"contact-info":{"name":"A","email":"a@b.c"}}""");
        var b = (JsonObject)JsonValue.Parse("""{"contact-info":{"email":"a@b.c","name":"A"},"order-info":{"qty":"1","OrderId":"1"}}""");
        var c = (JsonObject)JsonValue.Parse("""{"order-info":{"OrderId":"1","qty":"2"},"contact-info":{"name":"A","email":"a@b.c"}}""");
        Assert.Equal(ValidateOrderFunction.ContentHash(a), ValidateOrderFunction.ContentHash(b));
        Assert.NotEqual(ValidateOrderFunction.ContentHash(a), ValidateOrderFunction.ContentHash(c));
    }
}

public class OrderShapesTests
{
    [Fact]
    public void Normalize_FlatCsvRow_BecomesOrderShape_EmptyCellsLeftOut()
    {
        var row = JsonValue.Parse("""{"OrderId":"7","item-id":"101","item-desc":"","qty":"2","unit-price":"","currency":"","order-date":"","status":"paid","contact-name":"Ann","contact-email":"ann@example.com","phone":"","country":"FR"}""");
        Assert.Equal(JsonValue.Parse("""{"order-info":{"OrderId":"7","item-id":"101","qty":"2","status":"paid"},"contact-info":{"name":"Ann","email":"ann@example.com","country":"FR"}}"""),
            OrderShapes.Normalize(row));
    }

    [Fact]
    public void Normalize_SeedShape_IsUnchanged()
    {
        var order = JsonValue.Parse("""{"order-info":{"OrderId":"1"},"contact-info":{"name":"A","email":"a@b.c"}}""");
        Assert.Same(order, OrderShapes.Normalize(order));
    }
}
