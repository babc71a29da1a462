using System.CommandLine;
using OrderFlow.Cli.Commands;

var root = new RootCommand("OrderFlow: order files in, validated orders out. Runs Amazon States Language workflows locally.");
root.Subcommands.Add(StatesCommands.Create());
root.Subcommands.Add(EventsCommands.Create());
root.Subcommands.Add(ExecutionCommands.Create());
foreach (var command in LocalCommands.Create())
{
    root.Subcommands.Add(command);
}
return await CliHost.InvokeAsync(root, args);
