using System.Globalization;
using OrderFlow.Json;

namespace OrderFlow.Orders.Analytics;

/// <summary>One line of a stored order: what was sold, how many, at what unit price (null when the order gave none).</summary>
public readonly record struct SaleLine(string ItemId, string? Description, long Quantity, decimal? UnitPrice);

/// <summary>
/// What the sales analysis needs of one stored order, read from its item in the orders table (as the pipeline stores it:
/// every attribute a DynamoDB string, <c>{"S": "..."}</c>, see <c>ValidateOrderFunction.ToItem</c>; numbers, <c>{"N": "..."}</c>,
/// are read alike).
/// </summary>
/// <param name="Date">The order's calendar date as the order wrote it (a date-time's date in its own offset); null without one.</param>
/// <param name="Lines">The order's line items when it has <c>items</c>, otherwise its own item-id, qty and unit-price.</param>
public sealed record SaleFacts(DateOnly? Date, string? Status, string? Country, string? Currency, IReadOnlyList<SaleLine> Lines)
{
    /// <summary>Statuses whose orders are not sales: counted as orders, left out of units and revenue.</summary>
    public static readonly IReadOnlySet<string> NotSales = new HashSet<string>(StringComparer.Ordinal) { "cancelled", "returned" };

    /// <summary>Whether the order counts as a sale (any status but cancelled and returned, or none).</summary>
    public bool IsSale => Status is null || !NotSales.Contains(Status);

    /// <summary>
    /// The facts of a stored item; null when the item is not an order the pipeline stored (no OrderId, or a quantity or
    /// price that is not a number), which the report counts as unreadable instead of guessing.
    /// </summary>
    public static SaleFacts? FromItem(JsonObject item)
    {
        // One pass over the item's attributes (a table scan reads every item of the table).
        string? orderId = null, itemId = null, description = null, quantity = null, price = null, items = null;
        string? date = null, status = null, country = null, currency = null;
        for (var i = 0; i < item.Count; i++)
        {
            // The pipeline stores strings (S); a table written otherwise may hold its quantities and prices as numbers (N).
            if (item.ValueAt(i) is not JsonObject { Count: 1 } attribute || attribute.ValueAt(0) is not JsonString text || attribute.NameAt(0) is not ("S" or "N"))
            {
                continue;
            }
            switch (item.NameAt(i))
            {
                case "OrderId": orderId = text.Value; break;
                case "item-id": itemId = text.Value; break;
                case "item-desc": description = text.Value; break;
                case "qty": quantity = text.Value; break;
                case "unit-price": price = text.Value; break;
                case "items": items = text.Value; break;
                case "order-date": date = text.Value; break;
                case "status": status = text.Value; break;
                case "country": country = text.Value; break;
                case "currency": currency = text.Value; break;
                default: break;
            }
        }
        if (orderId is null)
        {
            return null;
        }
        var lines = items is not null ? LinesOf(items) : SingleLine(itemId, description, quantity, price);
        return lines is null ? null : new SaleFacts(DateOf(date), status, country, currency, lines);
    }

    private static SaleLine[]? SingleLine(string? itemId, string? description, string? quantityText, string? priceText) =>
        itemId is not null && TryQuantity(quantityText, out var quantity) && TryPrice(priceText, out var price)
            ? [new SaleLine(itemId, description, quantity, price)]
            : null;

    // The line items are stored as their JSON text (a DynamoDB string): [{"item-id", "qty", "unit-price"?, "item-desc"?}].
    private static SaleLine[]? LinesOf(string itemsText)
    {
        JsonValue parsed;
        try
        {
            parsed = JsonValue.Parse(itemsText);
        }
        catch (JsonParseException)
        {
            return null;
        }
        if (parsed is not JsonArray array || array.Count == 0)
        {
            return null;
        }
        var lines = new SaleLine[array.Count];
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject line || Scalar(line["item-id"]) is not { } itemId
                || !TryQuantity(Scalar(line["qty"]), out var quantity) || !TryPrice(Scalar(line["unit-price"]), out var price))
            {
                return null;
            }
            lines[i] = new SaleLine(itemId, Scalar(line["item-desc"]), quantity, price);
        }
        return lines;
    }

    private static DateOnly? DateOf(string? text)
    {
        if (text is null)
        {
            return null;
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment)
            ? DateOnly.FromDateTime(moment.DateTime)
            : null;
    }

    private static bool TryQuantity(string? text, out long quantity) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out quantity) && quantity > 0;

    private static bool TryPrice(string? text, out decimal? price)
    {
        price = null;
        if (text is null)
        {
            return true;
        }
        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var value) && value >= 0)
        {
            price = value;
            return true;
        }
        return false;
    }

    private static string? Scalar(JsonValue? value) => value switch
    {
        JsonString s => s.Value,
        JsonNumber n => n.Literal,
        _ => null,
    };
}
