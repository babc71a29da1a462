namespace OrderFlow.Orders.Analytics;

/// <summary>What the stored orders are grouped by.</summary>
public enum SalesDimension
{
    /// <summary>One group: every order.</summary>
    Total,

    /// <summary>The order's date (yyyy-MM-dd).</summary>
    Day,

    /// <summary>The order's ISO 8601 week (yyyy-Www: weeks start on Monday; the first holds the year's first Thursday).</summary>
    Week,

    /// <summary>The order's month (yyyy-MM).</summary>
    Month,

    /// <summary>Each line's item-id: an order with several items counts in each of their groups.</summary>
    Item,

    /// <summary>The contact's country.</summary>
    Country,

    /// <summary>The order's status.</summary>
    Status,

    /// <summary>The order's currency.</summary>
    Currency,
}

/// <summary>Which orders a report counts and how it groups them.</summary>
public sealed record SalesQuery
{
    /// <summary>The grouping. Default: <see cref="SalesDimension.Total"/>.</summary>
    public SalesDimension By { get; init; } = SalesDimension.Total;

    /// <summary>Only orders dated on or after this day (orders without a date are left out). Default: no bound.</summary>
    public DateOnly? From { get; init; }

    /// <summary>Only orders dated on or before this day (orders without a date are left out). Default: no bound.</summary>
    public DateOnly? To { get; init; }

    /// <summary>Only orders in this currency (ISO 4217). Default: every currency.</summary>
    public string? Currency { get; init; }

    /// <summary>Whether an order is counted at all.</summary>
    public bool Includes(SaleFacts order)
    {
        if ((From is not null || To is not null) && order.Date is not { } date)
        {
            return false;
        }
        return (From is null || order.Date >= From) && (To is null || order.Date <= To)
            && (Currency is null || string.Equals(order.Currency, Currency, StringComparison.Ordinal));
    }
}
