using System.Globalization;
using OrderFlow.Orders.Analytics;

namespace OrderFlow.Cli.Commands;

/// <summary>The sales report as text: a table for people, or CSV for a spreadsheet.</summary>
internal static class SalesText
{
    public static string Describe(SalesReport report, int? top)
    {
        var text = new System.Text.StringBuilder();
        var total = report.Total;
        var currencies = total.Revenue.Count;
        text.AppendLine(CultureInfo.InvariantCulture, $"orders {total.Orders:N0}, sales {total.Sales:N0}, units {total.Units:N0}");
        if (currencies > 0 && report.Query.By != SalesDimension.Currency)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"revenue {Revenue(total)}");
        }
        var notSales = string.Join(", ", report.NotSales.Select(s => $"{s.Value:N0} {s.Key}"));
        if (notSales.Length > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"not sales (neither units nor revenue): {notSales}");
        }
        if (report.Query.By != SalesDimension.Total)
        {
            // One revenue column when it is one currency (or the grouping is by currency); otherwise the per-currency
            // sums are in --json and --by currency.
            var revenueColumn = currencies <= 1 || report.Query.By == SalesDimension.Currency;
            var name = report.Query.By.ToString().ToLowerInvariant();
            var groups = report.Groups(top);
            var width = Math.Max(name.Length, groups.Count == 0 ? 0 : groups.Max(g => g.Key.Length));
            text.AppendLine(CultureInfo.InvariantCulture, $"{name.PadRight(width)}  {"orders",12}  {"sales",12}  {"units",12}{(revenueColumn ? "  revenue" : string.Empty)}");
            foreach (var (key, totals) in groups)
            {
                text.Append(CultureInfo.InvariantCulture, $"{key.PadRight(width)}  {totals.Orders,12:N0}  {totals.Sales,12:N0}  {totals.Units,12:N0}");
                if (revenueColumn)
                {
                    text.Append("  ").Append(Revenue(totals));
                }
                if (report.DescriptionOf(key) is { } description)
                {
                    text.Append("  ").Append(description);
                }
                text.AppendLine();
            }
            if (groups.Count < report.GroupCount)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"... {report.GroupCount - groups.Count:N0} more {name} group(s): raise --top, or --top 0 for all");
            }
            if (!revenueColumn)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"revenue is in {currencies} currencies: see it with --by currency, per group with --currency CODE or --json");
            }
        }
        if (total.Unpriced > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{total.Unpriced:N0} sold line(s) without a unit price count in units, not in revenue");
        }
        if (report.LeftOut > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{report.LeftOut:N0} stored order(s) left out by --from, --to or --currency");
        }
        if (report.Unreadable > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{report.Unreadable:N0} item(s) of the table are not orders as the pipeline stores them: left out");
        }
        return text.ToString().TrimEnd();
    }

    /// <summary>
    /// The report as CSV (fields quoted as RFC 4180 says; a line break per row): a header, then a row per group in the report's order (or one row, <c>total</c>):
    /// key, orders, sales, units, unpriced, then one revenue column per currency in the report, empty where a group has
    /// none. Numbers are plain (no thousands separator), revenue exact.
    /// </summary>
    public static string Csv(SalesReport report, int? top)
    {
        var currencies = report.Total.Revenue.Keys.ToList();
        var text = new System.Text.StringBuilder();
        var name = report.Query.By.ToString().ToLowerInvariant();
        text.AppendJoin(',', [Field(name), "orders", "sales", "units", "unpriced", .. currencies.Select(c => Field($"revenue {c}"))]).AppendLine();
        IEnumerable<(string Key, SalesTotals Totals)> rows = report.Query.By == SalesDimension.Total ? [("total", report.Total)] : report.Groups(top);
        foreach (var (key, totals) in rows)
        {
            text.AppendJoin(',', [Field(key), Number(totals.Orders), Number(totals.Sales), Number(totals.Units), Number(totals.Unpriced),
                .. currencies.Select(c => totals.Revenue.TryGetValue(c, out var sum) ? sum.ToString(CultureInfo.InvariantCulture) : string.Empty)]);
            text.AppendLine();
        }
        return text.ToString().TrimEnd();
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    // A field is quoted when it holds a comma, a quote or a line break; quotes inside are doubled (RFC 4180, 2.6-2.7).
    private static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    private static string Revenue(SalesTotals totals)
    {
        var sums = string.Join(", ", totals.Revenue.Select(r => $"{r.Value.ToString("N2", CultureInfo.InvariantCulture)} {r.Key}"));
        return totals.Overflowed ? $"over {sums} (a sum overflowed)" : sums.Length == 0 ? "-" : sums;
    }
}
