using System.Diagnostics;

namespace OrderFlow.Tests.Shared;

/// <summary>Runs the real <c>orderflow</c> command in a child process (source shared by the test projects).</summary>
internal static class CliProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Task<Result> RunAsync(string? stdin, params string[] args) => RunAsync(stdin, null, args);

    /// <summary>Runs with extra environment variables (a null value removes one).</summary>
    public static async Task<Result> RunAsync(string? stdin, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        using var process = Start(environment, args);
        return await CollectAsync(process, stdin);
    }

    /// <summary>Runs another program (not the command) to its end, as <see cref="RunAsync(string?, string[])"/> does.</summary>
    public static async Task<Result> RunProgramAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        return await CollectAsync(process, null);
    }

    private static async Task<Result> CollectAsync(Process process, string? stdin)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// Runs the command until <paramref name="ready"/> (polled every 50 ms) says so, then sends it the POSIX signal
    /// <paramref name="signal"/> (2 SIGINT, as Ctrl-C; 15 SIGTERM) and waits for it to end.
    /// </summary>
    public static Task<Result> InterruptAsync(Func<Task<bool>> ready, int signal, params string[] args) => InterruptAsync(ready, signal, null, args);

    /// <summary>As <see cref="InterruptAsync(Func{Task{bool}}, int, string[])"/>, with extra environment variables.</summary>
    public static async Task<Result> InterruptAsync(Func<Task<bool>> ready, int signal, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        // A shell that starts a job in the background has it ignore SIGINT, and an ignored signal stays ignored in
        // every program started from it (the test host, then the command), which then rightly takes no notice of
        // Ctrl-C. The command is started with SIGINT at its default, as from a terminal.
        using var process = Start(environment, args, defaultInterrupt: true);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (!process.HasExited && !await ready())
        {
            await Task.Delay(50, timeout.Token);
        }
        if (process.HasExited)
        {
            // A test of an interruption that never happened would assert on the wrong run.
            throw new InvalidOperationException($"The command ended (exit {process.ExitCode}) before it was ready to be interrupted: {await stdout} {await stderr}");
        }
        using (var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(timeout.Token);
        }
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    private static Process Start(IReadOnlyDictionary<string, string?>? environment, string[] args, bool defaultInterrupt = false)
    {
        var start = new ProcessStartInfo(defaultInterrupt ? "env" : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        if (defaultInterrupt)
        {
            // GNU env: the signal's disposition reset to its default, then dotnet in its place (same process id).
            start.ArgumentList.Add("--default-signal=INT");
            start.ArgumentList.Add("dotnet");
        }
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "orderflow.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }
        return Process.Start(start)!;
    }
}

/// <summary>A temporary directory, deleted afterwards.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "orderflow-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, string content)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, content);
        return file;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
