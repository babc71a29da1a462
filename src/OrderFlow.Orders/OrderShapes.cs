using OrderFlow.Json;

namespace OrderFlow.Orders;

/// <summary>
/// The shapes an order arrives in. The seed's shape (<c>order-info</c> and <c>contact-info</c>) is the order;
/// a flat CSV row with the documented column names (docs/order-pipeline.md, "Order files") is mapped to it, empty cells left out.
/// </summary>
public static class OrderShapes
{
    /// <summary>The documented CSV columns: OrderId, item-id, item-desc, qty, unit-price, currency, order-date, status, contact-name, contact-email, phone, country.</summary>
    public static readonly IReadOnlyList<string> CsvColumns =
        ["OrderId", "item-id", "item-desc", "qty", "unit-price", "currency", "order-date", "status", "contact-name", "contact-email", "phone", "country"];

    private static readonly string[] OrderInfoColumns = ["OrderId", "item-id", "item-desc", "qty", "unit-price", "currency", "order-date", "status"];

    private static readonly (string Column, string Field)[] ContactColumns =
        [("contact-name", "name"), ("contact-email", "email"), ("phone", "phone"), ("country", "country")];

    public static JsonValue Normalize(JsonValue order)
    {
        if (order is not JsonObject row || row.ContainsKey("order-info") || row.ContainsKey("contact-info") || !row.ContainsKey("OrderId"))
        {
            return order;
        }
        var info = new JsonObjectBuilder(8);
        foreach (var column in OrderInfoColumns)
        {
            if (row[column] is JsonString { Value.Length: > 0 } value)
            {
                info.Set(column, value);
            }
        }
        var contact = new JsonObjectBuilder(4);
        foreach (var (column, field) in ContactColumns)
        {
            if (row[column] is JsonString { Value.Length: > 0 } value)
            {
                contact.Set(field, value);
            }
        }
        var result = new JsonObjectBuilder(2).Set("order-info", info.Build());
        if (contact.Count > 0)
        {
            result.Set("contact-info", contact.Build());
        }
        return result.Build();
    }
}
