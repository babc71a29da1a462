using System.Globalization;
using OrderFlow.Json;

namespace OrderFlow.Orders.Analytics;

/// <summary>The counts of one group: orders, the sales among them, their units and revenue by currency.</summary>
public sealed class SalesTotals
{
    private readonly SortedDictionary<string, decimal> _revenue = new(StringComparer.Ordinal);

    /// <summary>Stored orders in the group, whatever their status.</summary>
    public long Orders { get; private set; }

    /// <summary>Orders that are sales (neither cancelled nor returned).</summary>
    public long Sales { get; private set; }

    /// <summary>Units sold: the quantities of the sales' lines.</summary>
    public long Units { get; private set; }

    /// <summary>Lines of sales without a unit price: in <see cref="Units"/>, not in <see cref="Revenue"/>.</summary>
    public long Unpriced { get; private set; }

    /// <summary>Quantity times unit price of the sales' priced lines, by currency (<see cref="NoCurrency"/> for orders without one).</summary>
    public IReadOnlyDictionary<string, decimal> Revenue => _revenue;

    /// <summary>The revenue key of orders that name no currency.</summary>
    public const string NoCurrency = "none";

    /// <summary>Whether a sum outgrew its type (units a <see cref="long"/>, revenue a <see cref="decimal"/>): the addition that overflowed is skipped, so the totals are then lower bounds.</summary>
    public bool Overflowed { get; private set; }

    internal void Add(SaleFacts order, IEnumerable<SaleLine> lines)
    {
        Orders++;
        if (!order.IsSale)
        {
            return;
        }
        Sales++;
        foreach (var line in lines)
        {
            try
            {
                Units = checked(Units + line.Quantity);
                if (line.UnitPrice is not { } price)
                {
                    Unpriced++;
                    continue;
                }
                var currency = order.Currency ?? NoCurrency;
                _revenue[currency] = _revenue.GetValueOrDefault(currency) + (line.Quantity * price); // decimal throws on overflow
            }
            catch (OverflowException)
            {
                Overflowed = true;
            }
        }
    }

    /// <summary>The totals as JSON: orders, sales, units, unpriced, revenue (one number per currency), overflowed when it happened.</summary>
    public JsonObjectBuilder ToJson(JsonObjectBuilder into)
    {
        into.Set("orders", Orders).Set("sales", Sales).Set("units", Units).Set("unpriced", Unpriced)
            .Set("revenue", JsonObject.Create(_revenue.Select(r => new KeyValuePair<string, JsonValue>(r.Key, JsonNumber.FromLiteral(r.Value.ToString(CultureInfo.InvariantCulture))))));
        if (Overflowed)
        {
            into.Set("overflowed", true);
        }
        return into;
    }
}
