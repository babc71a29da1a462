using System.CommandLine;
using OrderFlow.Json;
using OrderFlow.Orders.Analytics;

namespace OrderFlow.Cli.Commands;

/// <summary>
/// <c>orderflow sales</c>: the analysis of the stored orders (orders, sales, units, revenue by currency), in total or
/// grouped by day, week, month, item, country, status or currency. It reads the orders table page by page and keeps only
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
        CliHost.Require(top, n => n >= 0, "--top must be 0 (all) or more.");
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
            if (CliHost.TryGetValue(result, from, out var f) && f is not null && CliHost.TryGetValue(result, to, out var t) && t is not null && f > t)
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
