using System.CommandLine;
using OrderFlow.Json;
using OrderFlow.Local;

namespace OrderFlow.Cli.Commands;

/// <summary><c>orderflow orders list|get</c> and <c>orderflow dlq list|show|redrive</c>: the pipeline's results.</summary>
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
                        : $"{Field(plain, "OrderId"),-20} {Field(plain, "item-id") ?? Field(plain, "items"),-12} qty {Field(plain, "qty"),-4} {Field(plain, "contact-name")} <{Field(plain, "contact-email")}>");
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
                await Console.Error.WriteLineAsync(result.Failed ? $"{result.Error!.Code}: {result.Error.Message}" : $"No order {parse.GetValue(id)} is stored.");
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

    public static Command CreateDlq()
    {
        var max = new Option<int>("--max") { Description = "Most messages to list. Default: 100.", DefaultValueFactory = _ => 100 };
        CliHost.Require(max, n => n >= 1, "--max must be at least 1.");
        var listJson = CliHost.JsonLinesOption("rejected order: its message id, then the message's error, reasons, source, order and rejection id");
        var listDir = CliHost.DataDirOption();
        var list = new Command("list", "List rejected orders (without receiving them): message id, order id, file and position, first reason.") { max, listJson, listDir };
        list.SetAction(async (parse, ct) =>
        {
            await using var cloud = CliHost.OpenCloud(parse.GetValue(listDir));
            var asJson = parse.GetValue(listJson);
            var wanted = parse.GetValue(max);
            var shown = 0;
            var more = false;
            // A page at a time: a queue of any length is listed in bounded memory.
            foreach (var message in cloud.Queues.PeekAll(PipelineSetup.RejectedQueue, (int)Math.Min(wanted + 1L, 1000)))
            {
                if (shown == wanted)
                {
                    more = true;
                    break;
                }
                shown++;
                var body = Body(message);
                if (asJson)
                {
                    await Console.Out.WriteLineAsync(JsonObject.Create([new("messageId", message["MessageId"] ?? JsonValue.Null), .. body.Members.Where(m => m.Key != "messageId")]).ToJsonString());
                    continue;
                }
                var source = body["source"] as JsonObject;
                var reasons = body["reasons"] as JsonArray ?? JsonArray.Empty;
                // Anything may have been sent to the queue: a message not in the pipeline's shape is listed as it comes.
                var first = reasons.Count > 0 && reasons[0] is JsonObject reason ? $"{Field(reason, "path")}: {Field(reason, "message")}" : Field(body, "error") ?? Field(message, "Body");
                // The order is whatever the file held: not always an object (a JSON Lines line may be an array or a number).
                var orderId = Field(((body["order"] as JsonObject)?["order-info"] as JsonObject) ?? JsonObject.Empty, "OrderId") ?? "?";
                await Console.Out.WriteLineAsync($"{Field(message, "MessageId")}  order {orderId,-12} {Field(source ?? JsonObject.Empty, "key")}#{source?["position"]}  {first}{(reasons.Count > 1 ? $" (+{reasons.Count - 1} more)" : string.Empty)}");
            }
            await (asJson ? Console.Error : Console.Out).WriteLineAsync($"{shown} rejected order(s){(more ? " (more: raise --max)" : string.Empty)}");
            return CliHost.Ok;
        });
        var messageId = new Argument<string>("message-id") { Description = "The message id, from dlq list." };
        var showDir = CliHost.DataDirOption();
        var show = new Command("show", "Print a rejected order's message: error, every reason, file, position, and the order.") { messageId, showDir };
        show.SetAction(async (parse, ct) =>
        {
            await using var cloud = CliHost.OpenCloud(parse.GetValue(showDir));
            var message = cloud.Queues.PeekById(PipelineSetup.RejectedQueue, parse.GetValue(messageId)!);
            if (message is null)
            {
                await Console.Error.WriteLineAsync($"No rejected order with message id {parse.GetValue(messageId)}.");
                return CliHost.Failed;
            }
            var body = Body(message);
            await Console.Out.WriteLineAsync(body.Count > 0 ? body.ToIndentedJsonString() : Field(message, "Body"));
            return CliHost.Ok;
        });
        var ids = new Argument<string[]>("message-ids") { Description = "The messages to redrive.", Arity = ArgumentArity.ZeroOrMore };
        var fixedOrder = new Option<string?>("--order") { Description = "A corrected order (JSON file) to run instead of the rejected one (one message only)." };
        var all = new Option<bool>("--all") { Description = "Redrive every rejected order in the queue, together in one run of the pipeline." };
        var redriveDir = CliHost.DataDirOption();
        var redrive = new Command("redrive", "Run rejected orders through the pipeline again (as they were, or corrected with --order); a message whose order is now stored is deleted, one still rejected is replaced by one with the current reasons.")
        {
            ids, fixedOrder, all, redriveDir,
        };
        redrive.Validators.Add(result =>
        {
            var given = result.GetValue(ids)?.Length ?? 0;
            if (result.GetValue(all) ? given > 0 || result.GetValue(fixedOrder) is not null : given == 0)
            {
                result.AddError("Give the message ids to redrive, or --all (without ids or --order).");
            }
        });
        redrive.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(all))
            {
                var counter = new OrderFlow.States.Distributed.ChildCounter();
                await using var everything = CliHost.OpenCloud(parse.GetValue(redriveDir), counter);
                return await DlqRedriveAll.RunAsync(everything, counter, ct);
            }
            var messageIds = parse.GetValue(ids)!;
            if (parse.GetValue(fixedOrder) is not null && messageIds.Length != 1)
            {
                await Console.Error.WriteLineAsync("--order corrects one message: give exactly one message id.");
                return CliHost.Invalid;
            }
            await using var cloud = CliHost.OpenCloud(parse.GetValue(redriveDir));
            var exit = CliHost.Ok;
            foreach (var id in messageIds)
            {
                var message = cloud.Queues.PeekById(PipelineSetup.RejectedQueue, id);
                if (message is null)
                {
                    await Console.Error.WriteLineAsync($"{id}: no such rejected order");
                    exit = CliHost.Failed;
                    continue;
                }
                JsonValue order;
                try
                {
                    order = parse.GetValue(fixedOrder) is { } path ? JsonValue.Parse(await File.ReadAllTextAsync(path, ct)) : Body(message)["order"] ?? JsonValue.Null;
                }
                catch (Exception ex) when (ex is IOException or JsonParseException)
                {
                    await Console.Error.WriteLineAsync($"{id}: cannot read the corrected order: {ex.Message}");
                    return CliHost.Invalid;
                }
                var file = Path.Combine(Path.GetTempPath(), $"orderflow-redrive-{id}.json");
                await File.WriteAllTextAsync(file, new JsonArray([order]).ToJsonString(), ct);
                var tally = new Tally();
                await ProcessCommand.ProcessFileAsync(cloud, file, $"redrive/{id}-{DateTime.UtcNow:yyyyMMddHHmmssfff}.json", tally, ct);
                File.Delete(file);
                var summary = tally.Summary(TimeSpan.Zero);
                if ((long)((JsonNumber)summary["stored"]!).Value + (long)((JsonNumber)summary["duplicates"]!).Value == 1)
                {
                    await cloud.Queues.DeleteByIdAsync(PipelineSetup.RejectedQueue, id, ct);
                    await Console.Out.WriteLineAsync($"{id}: stored{((long)((JsonNumber)summary["duplicates"]!).Value == 1 ? " (it already was)" : string.Empty)}; the message is deleted");
                }
                else
                {
                    // The run sent a new message with the current reasons; the old one would only repeat stale ones.
                    await cloud.Queues.DeleteByIdAsync(PipelineSetup.RejectedQueue, id, ct);
                    await Console.Out.WriteLineAsync($"{id}: still rejected; the message is replaced by one with the current reasons (orderflow dlq list)");
                    exit = CliHost.Failed;
                }
            }
            return exit;
        });
        var dlq = new Command("dlq", "Rejected orders: the queue orders-rejected.");
        dlq.Subcommands.Add(list);
        dlq.Subcommands.Add(show);
        dlq.Subcommands.Add(redrive);
        return dlq;
    }

    /// <summary>The message's body as the pipeline writes it (a JSON object); empty for a body of any other kind.</summary>
    internal static JsonObject Body(JsonObject message)
    {
        try
        {
            return message["Body"] is JsonString text ? JsonValue.Parse(text.Value) as JsonObject ?? JsonObject.Empty : JsonObject.Empty;
        }
        catch (JsonParseException)
        {
            return JsonObject.Empty;
        }
    }

    private static string? Field(JsonObject o, string name) => o[name] switch
    {
        JsonString s => s.Value,
        null => null,
        var v => v.ToJsonString(),
    };

    /// <summary>DynamoDB JSON → plain JSON: <c>{"qty":{"S":"2"}}</c> → <c>{"qty":"2"}</c>.</summary>
    private static JsonObject Plain(JsonObject item) => JsonObject.Create(item.Members.Select(m =>
        new KeyValuePair<string, JsonValue>(m.Key, m.Value is JsonObject { Count: 1 } typed ? typed.ValueAt(0) : m.Value)));
}
