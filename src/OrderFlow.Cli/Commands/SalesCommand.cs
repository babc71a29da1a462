using System.CommandLine;
using System.Globalization;
using OrderFlow.Json;
using OrderFlow.Orders.Analytics;

namespace OrderFlow.Cli.Commands;

/// <summary>
/// <c>orderflow sales</c>: the analysis of the stored orders (orders, sales, units, revenue by currency), in total or
/// grouped by day, month, item, country, status or currency. It reads the orders table page by page and keeps only
/// the groups' counts.
/// </summary>
internal static class SalesCommand
{
    public static Command Create()
    {
        var by = new Option<string>("--by")
        {
            Description = "Group by total, day, week (ISO 8601), month, item, country, status or currency. Default: total.",
            DefaultValueFactory = _ => "total",
        };
        by.AcceptOnlyFromAmong([.. Enum.GetNames<SalesDimension>().Select(n => n.ToLowerInvariant())]);
        var from = new Option<DateOnly?>("--from") { Description = "Only orders dated on or after this day (yyyy-MM-dd); orders without a date are left out." };
        var to = new Option<DateOnly?>("--to") { Description = "Only orders dated on or before this day (yyyy-MM-dd); orders without a date are left out." };
        var currency = new Option<string?>("--currency") { Description = "Only orders in this currency (ISO 4217, e.g. EUR)." };
        var top = new Option<int>("--top")
        {
            Description = "Most groups to print for item, country, status and currency (the most sales first); 0 prints all. Days, weeks and months are all printed. Default: 20.",
            DefaultValueFactory = _ => 20,
        };
        top.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 0)
            {
                result.AddError("--top must be 0 (all) or more.");
            }
        });
        var table = new Option<string>("--table")
        {
            Description = $"The orders table to read; with --backend aws, a deployed stack's (PREFIX-orders). Default: {PipelineSetup.OrdersTable}.",
            DefaultValueFactory = _ => PipelineSetup.OrdersTable,
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: by, read, leftOut, unreadable, notSales, total {orders, sales, units, unpriced, revenue}, groups." };
        var csv = new Option<bool>("--csv") { Description = "Print CSV for a spreadsheet: a row per group (or the total), with a revenue column per currency." };
        var dataDir = CliHost.DataDirOption();
        var backend = new BackendOptions();
        var command = new Command("sales", "Analyse the stored orders: orders, sales (not cancelled or returned), units and revenue by currency, in total or by day, week, month, item, country, status or currency.")
        {
            by, from, to, currency, top, table, json, csv, dataDir,
        };
        backend.AddTo(command);
        command.Validators.Add(result =>
        {
            if (result.GetValue(json) && result.GetValue(csv))
            {
                result.AddError("--json and --csv: choose one.");
            }
            if (result.GetValue(from) is { } f && result.GetValue(to) is { } t && f > t)
            {
                result.AddError($"--from {f:yyyy-MM-dd} is after --to {t:yyyy-MM-dd}.");
            }
        });
        command.SetAction(async (parse, ct) =>
        {
            var query = new SalesQuery { By = Enum.Parse<SalesDimension>(parse.GetValue(by)!, ignoreCase: true), From = parse.GetValue(from), To = parse.GetValue(to), Currency = parse.GetValue(currency)?.ToUpperInvariant() };
            var report = new SalesReport(query);
            await using var cloud = backend.Open(parse, parse.GetValue(dataDir));
            var error = await CliProgress.RunAsync("orders read", null, async progress =>
                await TableScan.ForEachPageAsync(cloud.TableService, parse.GetValue(table)!, null, items =>
                {
                    foreach (var item in items)
                    {
                        report.Add((JsonObject)item);
                    }
                    progress.Report(report.Read);
                    return true;
                }, ct));
            if (error is not null)
            {
                await Console.Error.WriteLineAsync($"{error.Code}: {error.Message} (run `orderflow process` first)");
                return CliHost.Failed;
            }
            var shown = parse.GetValue(top) is > 0 and var n && query.By is not (SalesDimension.Day or SalesDimension.Week or SalesDimension.Month) ? n : (int?)null;
            await Console.Out.WriteLineAsync(parse.GetValue(json) ? report.ToJson(shown).ToJsonString()
                : parse.GetValue(csv) ? SalesText.Csv(report, shown)
                : SalesText.Describe(report, shown));
            return CliHost.Ok;
        });
        return command;
    }
}

/// <summary>The sales report as a table for people.</summary>
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
