namespace OrderFlow.Cli.Tests;

/// <summary>
/// A value that does not convert to its option's type is a usage error (exit 2, said in words), never a crash: reading
/// it in a command's validator used to end the process with a stack trace.
/// </summary>
public sealed class CommandLineErrorsTests
{
    [Theory]
    [InlineData("'abc' for option '--orders' as a whole number", "generate", "--orders", "abc")]
    [InlineData("'x' for option '--invalid-rate' as a number (such as 0.1)", "generate", "--orders", "5", "--invalid-rate", "x")]
    [InlineData("'x' for option '--limit' as a whole number", "orders", "list", "--limit", "x")]
    [InlineData("'x' for option '--limit' as a whole number", "dlq", "list", "--limit", "x")]
    [InlineData("'x' for option '--top' as a whole number", "sales", "--top", "x")]
    [InlineData("'2026-13-01' for option '--from' as a day (yyyy-MM-dd, such as 2026-12-03)", "sales", "--from", "2026-13-01")]
    [InlineData("'2026-02-30' for option '--to' as a day", "sales", "--to", "2026-02-30")]
    [InlineData("'x' for option '--max-files' as a whole number", "watch", "--max-files", "x")]
    public async Task Parse_ValueOfTheWrongType_ExitsTwoSayingWhatWasExpected(string expected, params string[] args)
    {
        // Refused while parsing: nothing runs, no data directory is opened.
        var result = await CliProcess.RunAsync(null, args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Cannot parse argument " + expected, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Did you mean orderflow process?", "proces", "orders.json")]
    [InlineData("Did you mean orderflow dlq list?", "dlq", "lst")]
    [InlineData("Did you mean orderflow executions show?", "executions", "shw", "x")]
    [InlineData("Did you mean --top? (--tpo is not an option of orderflow sales)", "sales", "--tpo", "3")]
    [InlineData("Did you mean --orders? (--order is not an option of orderflow generate)", "generate", "--order", "5")]
    [InlineData("--data-dri is not an option of orderflow process: did you mean --data-dir?", "process", "orders.json", "--data-dri", "d")]
    [InlineData("--al is not an option of orderflow dlq redrive: did you mean --all?", "dlq", "redrive", "--al")]
    [InlineData("--ordr is not an option of orderflow dlq redrive: did you mean --order?", "dlq", "redrive", "x", "--ordr")]
    public async Task Parse_MistypedCommandOrOption_SuggestsTheNearestName(string expected, params string[] args)
    {
        var result = await CliProcess.RunAsync(null, args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sales", "--xyzzy")]
    [InlineData("frobnicate")]
    public async Task Parse_WordNearNoName_NoSuggestion(params string[] args)
    {
        var result = await CliProcess.RunAsync(null, args);

        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotContain("Did you mean", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parse_NoArguments_PrintsTheCommandsAsHelpDoes()
    {
        var result = await CliProcess.RunAsync(null);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Commands:", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("process <files>", result.Stdout, StringComparison.Ordinal);
    }
}
