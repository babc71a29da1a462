namespace OrderFlow.Events.Tests;

/// <summary>The fixed contract of <c>orderflow events test-pattern</c>.</summary>
public sealed class EventsCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "orderflow-events-" + Guid.NewGuid().ToString("N"));

    public EventsCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        var result = await CliProcess.RunAsync(null, args);
        return (result.ExitCode, result.Stdout.Trim(), result.Stderr);
    }

    private static readonly string SeedEvent = Path.Combine(AppContext.BaseDirectory, "samples", "seed", "s3-object-created.event.json");
    private static readonly string SeedRule = Path.Combine(AppContext.BaseDirectory, "samples", "seed", "event-bridge-rule.json");

    [Fact]
    public async Task TestPattern_Matching_PrintsTrueExitsZero()
    {
        var (exit, stdout, _) = await Run("events", "test-pattern", "--pattern", SeedRule, "--event", SeedEvent);
        Assert.Equal(0, exit);
        Assert.Equal("{\"Result\":true}", stdout);
    }

    [Fact]
    public async Task TestPattern_NotMatching_PrintsFalseExitsZero()
    {
        var pattern = Write("p.json", """{"source":["aws.ec2"]}""");
        var (exit, stdout, _) = await Run("events", "test-pattern", "--pattern", pattern, "--event", SeedEvent);
        Assert.Equal(0, exit);
        Assert.Equal("{\"Result\":false}", stdout);
    }

    [Fact]
    public async Task TestPattern_InvalidPattern_ExitsTwoWithReason()
    {
        var pattern = Write("p.json", """{"source":"aws.s3"}""");
        var (exit, stdout, stderr) = await Run("events", "test-pattern", "--pattern", pattern, "--event", SeedEvent);
        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        Assert.Contains("source: match values must be in an array", stderr);
    }

    [Fact]
    public async Task TestPattern_MissingOption_ExitsTwo()
    {
        var (exit, _, stderr) = await Run("events", "test-pattern", "--event", SeedEvent);
        Assert.Equal(2, exit);
        Assert.Contains("--pattern", stderr);
    }
}
