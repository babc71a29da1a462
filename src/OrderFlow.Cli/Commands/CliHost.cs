using System.CommandLine;
using System.Runtime.InteropServices;
using OrderFlow.Local;

namespace OrderFlow.Cli.Commands;

/// <summary>Runs the command line with OrderFlow's exit-code contract: 2 for invalid usage.</summary>
internal static class CliHost
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Invalid = 2;

    /// <summary>Stopped by Ctrl-C or SIGTERM before the work was done (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;

    public static async Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        // No command at all: the overview of the commands, as --help prints it.
        var parsed = root.Parse(args.Length == 0 ? ["--help"] : args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync(Plain(error.Message));
            }
            foreach (var suggestion in CliSuggestions.For(parsed))
            {
                await Console.Error.WriteLineAsync(suggestion);
            }
            await Console.Error.WriteLineAsync("Run with --help for usage.");
            return Invalid;
        }
        // Ctrl-C and SIGTERM (a service manager stopping `watch`) ask the command to stop: it finishes or abandons its
        // work cleanly and says so. The same signal a second time ends the process at once.
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => e.Cancel = Stop(cancel);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => context.Cancel = Stop(cancel));
        try
        {
            // The signals are this host's alone (above): System.CommandLine's own handler would cancel the same token, then
            // hold the signal's thread for up to its timeout, so that this host's handler ran late or after the command
            // had already finished, and force exit code 130 on a command still stopping gently.
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, cancel.Token);
        }
        catch (OrderFlow.Local.Storage.DataDirectoryException ex)
        {
            // Not a bug: a data directory that cannot be opened (damaged, read-only, the disk full), said in words.
            await Console.Error.WriteLineAsync(ex.Message);
            return Failed;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // Ctrl-C or SIGTERM reached a command that has nothing to say about it.
            return Interrupted;
        }
#pragma warning disable CA1031 // a bug: reported with its stack trace and exit code 1, as the parser's own handler did
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await Console.Error.WriteLineAsync($"Unhandled exception: {ex}");
            return Failed;
        }
    }

    // The parser names the .NET type a value did not convert to ("as expected type 'System.Nullable`1[System.DateOnly]'"):
    // said in words instead.
    private static string Plain(string message)
    {
        foreach (var (type, words) in TypeWords)
        {
            message = message.Replace($"as expected type '{type}'", words, StringComparison.Ordinal)
                .Replace($"as expected type 'System.Nullable`1[{type}]'", words, StringComparison.Ordinal);
        }
        return message;
    }

    private static readonly (string Type, string Words)[] TypeWords =
    [
        ("System.Int32", "as a whole number"),
        ("System.Int64", "as a whole number"),
        ("System.Double", "as a number (such as 0.1)"),
        ("System.DateOnly", "as a day (yyyy-MM-dd, such as 2026-12-03)"),
    ];

    // True (keep running, the command stops itself) the first time; false afterwards, which lets the signal end the process.
    private static bool Stop(CancellationTokenSource cancel)
    {
        if (cancel.IsCancellationRequested)
        {
            return false;
        }
        cancel.Cancel();
        return true;
    }

    /// <summary>Refuses the command line, with <paramref name="message"/>, when the option's value fails <paramref name="valid"/>.</summary>
    public static void Require<T>(Option<T> option, Func<T, bool> valid, string message) => option.Validators.Add(result =>
    {
        if (Converted(result.GetValueOrDefault<T>, out var value) && !valid(value!))
        {
            result.AddError(message);
        }
    });

    /// <summary>
    /// In a validator, the option's value; false when the text given does not convert to its type (<c>--orders abc</c>),
    /// an error the parser reports itself once the validators have run. (Reading such a value throws, which in a
    /// validator ended the process with a stack trace.)
    /// </summary>
    public static bool TryGetValue<T>(System.CommandLine.Parsing.CommandResult result, Option<T> option, out T? value) => Converted(() => result.GetValue(option), out value);

    private static bool Converted<T>(Func<T?> read, out T? value)
    {
        try
        {
            value = read();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default;
            return false;
        }
    }

    /// <summary><c>--json</c> for a list: one JSON object per line (JSON Lines), each a <paramref name="what"/>; the count goes to stderr.</summary>
    public static Option<bool> JsonLinesOption(string what) => new("--json")
    {
        Description = $"Print one JSON object per line (JSON Lines), each {("aeiou".Contains(what[0], StringComparison.Ordinal) ? "an" : "a")} {what}; the count goes to stderr.",
    };

    /// <summary>The <c>--data-dir</c> option every command on the embedded services takes.</summary>
    public static Option<string?> DataDirOption() => new("--data-dir")
    {
        Description = $"Where the embedded services keep their data. Default: ${LocalCloudOptions.DataDirectoryVariable}, else ./.orderflow.",
    };

    /// <summary>Opens the embedded services of <paramref name="dataDir"/> (or the default data directory).</summary>
    public static LocalCloud OpenCloud(string? dataDir, OrderFlow.States.Distributed.ChildCounter? counter = null) =>
        LocalCloud.Open(new LocalCloudOptions { DataDirectory = LocalCloudOptions.ResolveDataDirectory(dataDir), ChildCounter = counter });

    /// <summary>Reads a file, or standard input for "-"; null with a message on stderr when it cannot.</summary>
    public static async Task<string?> ReadTextAsync(string path, string what, CancellationToken cancellationToken)
    {
        try
        {
            if (path == "-")
            {
                return await Console.In.ReadToEndAsync(cancellationToken);
            }
            return await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"Cannot read the {what} '{path}': {ex.Message}");
            return null;
        }
    }
}
