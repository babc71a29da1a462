using System.Globalization;
using OrderFlow.Json;

namespace OrderFlow.Orders.Analytics;

/// <summary>
/// The sales analysis of stored orders: fed one stored item at a time (a table scan), it keeps only its groups' counts,
/// so its memory grows with the number of groups (days, items, countries), never with the number of orders.
/// </summary>
public sealed class SalesReport(SalesQuery query)
{
    private readonly Dictionary<string, SalesTotals> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _descriptions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _notSales = new(StringComparer.Ordinal);

    /// <summary>The group of orders without the grouped field (no date, no country, no status, no currency).</summary>
    public const string Missing = "(none)";

    public SalesQuery Query { get; } = query;

    /// <summary>Every counted order.</summary>
    public SalesTotals Total { get; } = new();

    /// <summary>Items read: counted, left out by the query, or unreadable.</summary>
    public long Read { get; private set; }

    /// <summary>Items left out by the query's dates or currency.</summary>
    public long LeftOut { get; private set; }

    /// <summary>Items that are not orders as the pipeline stores them (see <see cref="SaleFacts.FromItem"/>).</summary>
    public long Unreadable { get; private set; }

    /// <summary>Orders per status that are not sales (cancelled, returned).</summary>
    public IEnumerable<KeyValuePair<string, long>> NotSales =>
        _notSales.OrderBy(s => s.Key, StringComparer.Ordinal);

    /// <summary>Counts one stored item (a DynamoDB item of the orders table).</summary>
    public void Add(JsonObject item)
    {
        Read++;
        if (SaleFacts.FromItem(item) is not { } order)
        {
            Unreadable++;
            return;
        }
        if (!Query.Includes(order))
        {
            LeftOut++;
            return;
        }
        Total.Add(order, order.Lines);
        if (!order.IsSale)
        {
            _notSales[order.Status!] = _notSales.GetValueOrDefault(order.Status!) + 1;
        }
        if (Query.By == SalesDimension.Item)
        {
            // An order counts once in each of its items' groups, with only that item's lines.
            foreach (var byItem in order.Lines.GroupBy(l => l.ItemId, StringComparer.Ordinal))
            {
                Group(byItem.Key).Add(order, byItem);
                if (byItem.First().Description is { } description)
                {
                    _descriptions.TryAdd(byItem.Key, description);
                }
            }
        }
        else if (Query.By != SalesDimension.Total)
        {
            Group(KeyOf(order)).Add(order, order.Lines);
        }
    }

    /// <summary>
    /// The groups: by date in date order (every day, week or month with orders), otherwise the most sales first (then most
    /// orders, then by name), at most <paramref name="top"/> of them when it is given.
    /// </summary>
    public IReadOnlyList<(string Key, SalesTotals Totals)> Groups(int? top = null)
    {
        var groups = _groups.Select(g => (g.Key, Totals: g.Value));
        var ordered = Query.By is SalesDimension.Day or SalesDimension.Week or SalesDimension.Month
            ? groups.OrderBy(g => g.Key == Missing ? 1 : 0).ThenBy(g => g.Key, StringComparer.Ordinal)
            : groups.OrderByDescending(g => g.Totals.Sales).ThenByDescending(g => g.Totals.Orders).ThenBy(g => g.Key, StringComparer.Ordinal);
        return [.. top is { } n ? ordered.Take(n) : ordered];
    }

    /// <summary>How many groups there are in all (before any top).</summary>
    public int GroupCount => _groups.Count;

    /// <summary>An item's description, as the first order that named it gave it.</summary>
    public string? DescriptionOf(string itemId) => _descriptions.GetValueOrDefault(itemId);

    /// <summary>The report as one JSON object: the query, the counts, the total and the groups.</summary>
    public JsonObject ToJson(int? top = null)
    {
        var json = new JsonObjectBuilder(12).Set("by", Query.By.ToString().ToLowerInvariant());
        if (Query.From is { } from)
        {
            json.Set("from", from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
        if (Query.To is { } to)
        {
            json.Set("to", to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
        if (Query.Currency is { } currency)
        {
            json.Set("currency", currency);
        }
        json.Set("read", Read).Set("leftOut", LeftOut).Set("unreadable", Unreadable)
            .Set("notSales", JsonObject.Create(NotSales.Select(s => new KeyValuePair<string, JsonValue>(s.Key, JsonNumber.FromInt64(s.Value)))))
            .Set("total", Total.ToJson(new JsonObjectBuilder(6)).Build());
        if (Query.By != SalesDimension.Total)
        {
            json.Set("groupCount", GroupCount);
            json.Set("groups", new JsonArray([.. Groups(top).Select(g =>
            {
                var group = new JsonObjectBuilder(8).Set("key", g.Key);
                if (Query.By == SalesDimension.Item && DescriptionOf(g.Key) is { } description)
                {
                    group.Set("description", description);
                }
                return (JsonValue)g.Totals.ToJson(group).Build();
            })]));
        }
        return json.Build();
    }

    private SalesTotals Group(string key)
    {
        if (!_groups.TryGetValue(key, out var totals))
        {
            _groups[key] = totals = new SalesTotals();
        }
        return totals;
    }

    // The week's year may differ from the day's: 2024-12-30 is in 2025-W01, 2027-01-01 in 2026-W53.
    private static string IsoWeek(DateOnly day)
    {
        var moment = day.ToDateTime(TimeOnly.MinValue);
        return string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(moment)}-W{ISOWeek.GetWeekOfYear(moment):D2}");
    }

    private string KeyOf(SaleFacts order) => Query.By switch
    {
        SalesDimension.Day => order.Date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? Missing,
        SalesDimension.Week => order.Date is { } day ? IsoWeek(day) : Missing,
        SalesDimension.Month => order.Date?.ToString("yyyy-MM", CultureInfo.InvariantCulture) ?? Missing,
        SalesDimension.Country => order.Country ?? Missing,
        SalesDimension.Status => order.Status ?? Missing,
        SalesDimension.Currency => order.Currency ?? Missing,
        _ => throw new InvalidOperationException($"no group key for {Query.By}"),
    };
}
