namespace OrderFlow.Cli.Tests;

/// <summary>s3 ls and s3 rm: what the embedded buckets keep of the processed files, and letting it go.</summary>
public sealed class S3CommandsTests : ProcessTestsBase
{
    private Task<CliProcess.Result> S3(params string[] args) => CliProcess.RunAsync(null, ["s3", .. args, "--data-dir", DataDir]);

    [Fact]
    public async Task LsAndRm_TheInboxCopyAndTheResults_ListedWithTheirSizesThenRemoved()
    {
        var file = await Generate("orders.jsonl", 500, 0.1);
        AssertCounts((await Process(file)).Summary, 500, 450, 0, 50);

        var inbox = await S3("ls", "s3://orderflow-inbox");
        var results = await S3("ls", "s3://orderflow-results/runs/");
        var removed = await S3("rm", "s3://orderflow-inbox/orders.jsonl");
        var removedResults = await S3("rm", "s3://orderflow-results", "--recursive");
        var emptyInbox = await S3("ls", "s3://orderflow-inbox");
        var emptyResults = await S3("ls", "s3://orderflow-results");

        Assert.True(inbox.ExitCode == 0, inbox.Stderr);
        Assert.Contains($"{new FileInfo(file).Length,14:N0} orders.jsonl", inbox.Stdout, StringComparison.Ordinal);
        Assert.Contains($"1 object(s), {new FileInfo(file).Length:N0} bytes", inbox.Stdout, StringComparison.Ordinal);
        Assert.Contains("manifest.json", results.Stdout, StringComparison.Ordinal);
        Assert.Equal("delete: s3://orderflow-inbox/orders.jsonl", removed.Stdout.Trim());
        Assert.Contains("/manifest.json", removedResults.Stdout, StringComparison.Ordinal);
        Assert.Contains("0 object(s), 0 bytes", emptyInbox.Stdout, StringComparison.Ordinal);
        Assert.Contains("0 object(s), 0 bytes", emptyResults.Stdout, StringComparison.Ordinal);
        var again = await Process(file);
        AssertCounts(again.Summary, 500, 0, 450, 50); // the stored orders and sent rejections are not the bucket's copy
    }

    [Theory]
    [InlineData(2, "rm", "s3://orderflow-inbox")]
    [InlineData(2, "rm", "orders.jsonl")]
    [InlineData(2, "ls", "s3://")]
    [InlineData(1, "ls", "s3://no-such-bucket")]
    [InlineData(1, "rm", "s3://no-such-bucket/x")]
    public async Task LsAndRm_BadTargets_RefusedWithTheirExitCode(int exit, string command, string target)
    {
        AssertCounts((await Process(Path.Combine(AppContext.BaseDirectory, "samples", "seed", "orders.json"))).Summary, 2, 1, 0, 1);

        var result = await S3(command, target);

        Assert.Equal(exit, result.ExitCode);
        Assert.NotEmpty(result.Stderr);
    }
}
