using System.CommandLine;
using OrderFlow.Json;
using OrderFlow.Local;

namespace OrderFlow.Cli.Commands;

/// <summary><c>orderflow orders list|get</c>: the stored orders.</summary>
internal static class OrdersCommands
{
    public static Command CreateOrders()
    {
        var limit = new Option<int>("--limit") { Description = "Most orders to list. Default: 100.", DefaultValueFactory = _ => 100 };
        CliHost.Require(limit, n => n >= 1, "--limit must be at least 1.");
        var listJson = CliHost.JsonLinesOption("stored order, as `orders get` prints it");
        var listDir = CliHost.DataDirOption();
        var list = new Command("list", "List stored orders: OrderId, item, quantity, contact.") { limit, listJson, listDir };
        var listBackend = new BackendOptions();
        listBackend.AddTo(list);
        list.SetAction(async (parse, ct) =>
        {
            await using var cloud = listBackend.Open(parse, parse.GetValue(listDir));
            var wanted = parse.GetValue(limit);
            var asJson = parse.GetValue(listJson);
            var shown = 0;
            var more = false;
            var error = await TableScan.ForEachPageAsync(cloud.TableService, PipelineSetup.OrdersTable, wanted, items =>
            {
                foreach (var item in items.Cast<JsonObject>())
                {
                    if (shown == wanted)
                    {
                        more = true;
                        return false;
                    }
                    var plain = Plain(item);
                    Console.Out.WriteLine(asJson
                        ? plain.ToJsonString()
                        : CliText.OneLine($"{Field(plain, "OrderId"),-20} {Field(plain, "item-id") ?? Field(plain, "items"),-12} qty {Field(plain, "qty"),-4} {Field(plain, "contact-name")} <{Field(plain, "contact-email")}>"));
                    shown++;
                }
                return true;
            }, ct);
            if (error is not null)
            {
                await Console.Error.WriteLineAsync($"{error.Code}: {error.Message} (run `orderflow process` first)");
                return CliHost.Failed;
            }
            // With --json, stdout holds only the orders; the count goes to stderr.
            await (asJson ? Console.Error : Console.Out).WriteLineAsync($"{shown} order(s){(more ? " (more: raise --limit)" : string.Empty)}");
            return CliHost.Ok;
        });
        var id = new Argument<string>("order-id") { Description = "The OrderId." };
        var getDir = CliHost.DataDirOption();
        var get = new Command("get", "Print one stored order as JSON.") { id, getDir };
        var getBackend = new BackendOptions();
        getBackend.AddTo(get);
        get.SetAction(async (parse, ct) =>
        {
            await using var cloud = getBackend.Open(parse, parse.GetValue(getDir));
            var key = new JsonObjectBuilder(1).Set("OrderId", new JsonObjectBuilder(1).Set("S", parse.GetValue(id)!).Build()).Build();
            var result = await cloud.TableService.ExecuteAsync("GetItem", new JsonObjectBuilder(2).Set("TableName", PipelineSetup.OrdersTable).Set("Key", key).Build(), ct);
            if (result.Failed || result.Value["Item"] is not JsonObject item)
            {
                await Console.Error.WriteLineAsync(result.Failed ? $"{result.Error!.Code}: {result.Error.Message}" : $"No order {parse.GetValue(id)} is stored (if it was rejected, orderflow dlq list --order-id {ProcessCommand.Quoted(parse.GetValue(id)!)} shows why).");
                return CliHost.Failed;
            }
            await Console.Out.WriteLineAsync(Plain(item).ToIndentedJsonString());
            return CliHost.Ok;
        });
        var orders = new Command("orders", "The stored orders.");
        orders.Subcommands.Add(list);
        orders.Subcommands.Add(get);
        return orders;
    }

    /// <summary>A member as text: a string as it is, any other value as its JSON; null when the member is missing.</summary>
    internal static string? Field(JsonObject o, string name) => o[name] switch
    {
        JsonString s => s.Value,
        null => null,
        var v => v.ToJsonString(),
    };

    /// <summary>DynamoDB JSON → plain JSON: <c>{"qty":{"S":"2"}}</c> → <c>{"qty":"2"}</c>.</summary>
    private static JsonObject Plain(JsonObject item) => JsonObject.Create(item.Members.Select(m =>
        new KeyValuePair<string, JsonValue>(m.Key, m.Value is JsonObject { Count: 1 } typed ? typed.ValueAt(0) : m.Value)));
}
