using System.CommandLine;
using OrderFlow.Json;

namespace OrderFlow.Cli.Commands;

/// <summary><c>orderflow dlq list|summary|show|redrive</c>: the rejected orders, in the queue orders-rejected.</summary>
internal static class DlqCommands
{
    public static Command Create()
    {
        var dlq = new Command("dlq", "Rejected orders: the queue orders-rejected.");
        dlq.Subcommands.Add(List());
        dlq.Subcommands.Add(DlqSummary.Create());
        dlq.Subcommands.Add(Show());
        dlq.Subcommands.Add(Redrive());
        return dlq;
    }

    /// <summary>The widest OrderId dlq list prints whole; a longer one (the validator allows 128 characters, and rejects longer) is cut.</summary>
    private const int ShownOrderIdLength = 24;

    private static Command List()
    {
        // --max was its name before: kept, so scripts that use it go on working.
        var limit = new Option<int>("--limit", "--max") { Description = "Most messages to list, the oldest first. Default: 100.", DefaultValueFactory = _ => 100 };
        CliHost.Require(limit, n => n >= 1, "--limit must be at least 1.");
        var listJson = CliHost.JsonLinesOption("rejected order: its message id, then the message's error, reasons, source, order and rejection id");
        var listDir = CliHost.DataDirOption();
        var filter = new DlqFilterOptions();
        var list = new Command("list", "List rejected orders (without taking them out of the queue): message id, order id, file and position, first reason.") { limit, listJson, listDir };
        filter.AddTo(list);
        var backend = new BackendOptions();
        backend.AddTo(list);
        list.SetAction(async (parse, ct) =>
        {
            await using var cloud = backend.Open(parse, parse.GetValue(listDir));
            var asJson = parse.GetValue(listJson);
            var wanted = parse.GetValue(limit);
            var only = filter.Read(parse);
            var shown = 0;
            var more = false;
            await using var queue = new RejectedQueue(cloud);
            try
            {
                // A page at a time: a queue of any length is listed in bounded memory.
                await foreach (var received in queue.ReadAsync((int)Math.Min(wanted + 1L, 1000), ct))
                {
                    var message = new RejectedMessage(received);
                    if (ct.IsCancellationRequested)
                    {
                        return CliHost.Interrupted;
                    }
                    if (!only.Matches(message))
                    {
                        continue;
                    }
                    if (shown == wanted)
                    {
                        more = true;
                        break;
                    }
                    shown++;
                    await Console.Out.WriteLineAsync(asJson ? AsJsonLine(message) : AsTextLine(message));
                }
            }
            catch (RejectedQueueException ex)
            {
                return await CannotReadAsync(ex);
            }
            await (asJson ? Console.Error : Console.Out).WriteLineAsync($"{shown} rejected order(s){(more ? " (more: raise --limit)" : string.Empty)}");
            return CliHost.Ok;
        });
        return list;
    }

    /// <summary>Says that the queue could not be read, and why.</summary>
    internal static async Task<int> CannotReadAsync(RejectedQueueException exception)
    {
        var missing = exception.Message.StartsWith("QueueDoesNotExist", StringComparison.Ordinal) ? " (orderflow process, with the same options, creates it)" : string.Empty;
        await Console.Error.WriteLineAsync($"Cannot read the queue {PipelineSetup.RejectedQueue}: {exception.Message}{missing}");
        return CliHost.Failed;
    }

    private static string AsJsonLine(RejectedMessage message) =>
        JsonObject.Create([new("messageId", message.Message["MessageId"] ?? JsonValue.Null), .. message.Body.Members.Where(m => m.Key != "messageId")]).ToJsonString();

    private static string AsTextLine(RejectedMessage message)
    {
        var reasons = message.ReasonTexts.ToList();
        // A message not in the pipeline's shape is listed as it comes.
        var first = reasons.Count > 0 ? reasons[0] : message.Error ?? OrdersCommands.Field(message.Message, "Body");
        var orderId = message.OrderId ?? "?";
        if (orderId.Length > ShownOrderIdLength)
        {
            orderId = string.Concat(orderId.AsSpan(0, ShownOrderIdLength - 1), "…");
        }
        return CliText.OneLine($"{message.MessageId}  order {orderId,-12} {message.Key}#{message.Source?["position"]}  {first}{(reasons.Count > 1 ? $" (+{reasons.Count - 1} more)" : string.Empty)}");
    }

    private static Command Show()
    {
        var messageId = new Argument<string>("message-id") { Description = "The message id, from dlq list." };
        var showDir = CliHost.DataDirOption();
        var show = new Command("show", "Print a rejected order's message: error, every reason, file, position, and the order.") { messageId, showDir };
        var backend = new BackendOptions();
        backend.AddTo(show);
        show.SetAction(async (parse, ct) =>
        {
            await using var cloud = backend.Open(parse, parse.GetValue(showDir));
            await using var queue = new RejectedQueue(cloud);
            JsonObject? message;
            try
            {
                message = await queue.FindAsync(parse.GetValue(messageId)!, ct);
            }
            catch (RejectedQueueException ex)
            {
                return await CannotReadAsync(ex);
            }
            if (message is null)
            {
                await Console.Error.WriteLineAsync($"No rejected order with message id {parse.GetValue(messageId)}.");
                return CliHost.Failed;
            }
            var body = RejectedMessage.BodyOf(message);
            await Console.Out.WriteLineAsync(body.Count > 0 ? body.ToIndentedJsonString() : OrdersCommands.Field(message, "Body"));
            return CliHost.Ok;
        });
        return show;
    }

    private static Command Redrive()
    {
        var ids = new Argument<string[]>("message-ids") { Description = "The messages to redrive.", Arity = ArgumentArity.ZeroOrMore };
        var fixedOrder = new Option<string?>("--order") { Description = "A corrected order (JSON file) to run instead of the rejected one (one message only)." };
        var all = new Option<bool>("--all") { Description = "Redrive every rejected order in the queue (or those --file, --reason and --order-id choose), together in one run of the pipeline." };
        var redriveDir = CliHost.DataDirOption();
        var filter = new DlqFilterOptions();
        var redrive = new Command("redrive", "Run rejected orders through the pipeline again (as they were, or corrected with --order); a message whose order is now stored is deleted, one still rejected is replaced by one with the current reasons.")
        {
            ids, fixedOrder, all, redriveDir,
        };
        filter.AddTo(redrive);
        var backend = new BackendOptions();
        backend.AddTo(redrive);
        CliSuggestions.RefuseOptionLikeArguments(redrive, ids);
        redrive.Validators.Add(result =>
        {
            if (result.GetValue(ids)?.Any(id => id.StartsWith("--", StringComparison.Ordinal)) == true)
            {
                return; // an option it does not have, said above
            }
            var given = result.GetValue(ids)?.Length ?? 0;
            if (result.GetValue(all) ? given > 0 || result.GetValue(fixedOrder) is not null : given == 0)
            {
                result.AddError("Give the message ids to redrive, or --all (without ids or --order).");
            }
            else if (!result.GetValue(all) && filter.IsGiven(result))
            {
                result.AddError("--file, --reason and --order-id choose among all the rejected orders: give them with --all.");
            }
        });
        redrive.SetAction(async (parse, ct) =>
        {
            var counter = new OrderFlow.States.Distributed.ChildCounter();
            if (parse.GetValue(all))
            {
                await using var everything = backend.Open(parse, parse.GetValue(redriveDir), counter);
                return await DlqRedriveAll.RunAsync(everything, counter, filter.Read(parse), ct);
            }
            var messageIds = parse.GetValue(ids)!;
            if (parse.GetValue(fixedOrder) is not null && messageIds.Length != 1)
            {
                await Console.Error.WriteLineAsync("--order corrects one message: give exactly one message id.");
                return CliHost.Invalid;
            }
            await using var cloud = backend.Open(parse, parse.GetValue(redriveDir), counter);
            return await DlqRedriveOne.RunAsync(cloud, messageIds, parse.GetValue(fixedOrder), ct);
        });
        return redrive;
    }
}
