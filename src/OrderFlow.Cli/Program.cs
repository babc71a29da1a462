using System.CommandLine;
using OrderFlow.Cli.Commands;
using OrderFlow.Local.Functions;
using OrderFlow.Orders;

// The .NET functions a manifest may name, besides the seed's own.
FunctionCatalog.Add("orders.validate-order", () => ValidateOrderFunction.Handle, ValidateOrderFunction.Invoke);

var root = new RootCommand("OrderFlow: order files in, validated orders out. Runs Amazon States Language workflows locally.");
root.Subcommands.Add(StatesCommands.Create());
root.Subcommands.Add(EventsCommands.Create());
root.Subcommands.Add(ProcessCommand.Create());
root.Subcommands.Add(WatchCommand.Create());
root.Subcommands.Add(GenerateCommand.Create());
root.Subcommands.Add(OrdersCommands.CreateOrders());
root.Subcommands.Add(DlqCommands.Create());
root.Subcommands.Add(SalesCommand.Create());
root.Subcommands.Add(ExecutionCommands.Create());
root.Subcommands.Add(StatusCommand.Create());
foreach (var command in LocalCommands.Create())
{
    root.Subcommands.Add(command);
}
return await CliHost.InvokeAsync(root, args);
