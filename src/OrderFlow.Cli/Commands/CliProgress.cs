using Spectre.Console;

namespace OrderFlow.Cli.Commands;

/// <summary>
/// A progress bar on standard error for work that takes more than a moment. Drawn only when standard error is a
/// terminal: scripts, pipes and tests see nothing of it, and standard output stays clean for data and --json.
/// </summary>
internal static class CliProgress
{
    private static readonly Lazy<IAnsiConsole> Console = new(() => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(System.Console.Error),
    }));

    public static bool Enabled => !System.Console.IsErrorRedirected;

    /// <summary>
    /// Runs <paramref name="work"/>, which reports how far it got; <paramref name="total"/> null draws a bar without an end
    /// (the count is in the description).
    /// </summary>
    public static async Task<T> RunAsync<T>(string description, double? total, Func<IProgress<double>, Task<T>> work)
    {
        if (!Enabled)
        {
            return await work(new Progress<double>(_ => { }));
        }
        ProgressColumn[] columns = total is null
            ? [new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn(), new SpinnerColumn()]
            : [new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn()];
        return await Console.Value.Progress()
            .AutoClear(true)
            .Columns(columns)
            .StartAsync(async context =>
            {
                var task = context.AddTask(description, maxValue: total ?? 1);
                task.IsIndeterminate = total is null;
                var reporter = new Reporter(task, description, total);
                var result = await work(reporter);
                task.Value = task.MaxValue;
                return result;
            });
    }

    /// <summary>Reports <paramref name="read"/> five times a second until disposed (nothing when the bar is not drawn).</summary>
    public static IDisposable Poll(IProgress<double> progress, Func<long> read) =>
        Enabled ? new Timer(_ => progress.Report(read()), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(200)) : new Timer(_ => { });

    /// <summary>Sets the bar directly (thread-safe: Spectre reads the value on its own refresh thread); the count goes in the description.</summary>
    private sealed class Reporter(ProgressTask task, string description, double? total) : IProgress<double>
    {
        public void Report(double value)
        {
            task.Value = value;
            task.Description = total is { } all ? $"{description} {value:N0} of {all:N0}" : $"{description} {value:N0}";
        }
    }
}
