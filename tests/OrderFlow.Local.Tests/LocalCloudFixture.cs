using Microsoft.Extensions.Time.Testing;
using OrderFlow.Json;
using OrderFlow.Local.Storage;
using OrderFlow.States.Execution;

namespace OrderFlow.Local.Tests;

/// <summary>A LocalCloud on a temporary directory with a fake clock, for one test.</summary>
internal sealed class TestCloud : IAsyncDisposable
{
    private readonly TempDir _dir = new();

    public TestCloud()
    {
        Cloud = LocalCloud.Open(new LocalCloudOptions { DataDirectory = _dir.Path, Time = Time, Random = new SeededRandomSource(42), WaitTimeScale = 0 });
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    public LocalCloud Cloud { get; }

    public string DataDirectory => _dir.Path;

    public static JsonObject J(string json) => (JsonObject)JsonValue.Parse(json.Replace('\'', '"'));

    public async Task<JsonObject> Ddb(string operation, string request)
    {
        var result = await Cloud.Tables.ExecuteAsync(operation, J(request), CancellationToken.None);
        Assert.False(result.Failed, result.Error?.ToString());
        return result.Value;
    }

    public async Task<ServiceError> DdbError(string operation, string request)
    {
        var result = await Cloud.Tables.ExecuteAsync(operation, J(request), CancellationToken.None);
        Assert.True(result.Failed, $"expected an error, got {(result.Failed ? null : result.Value)}");
        return result.Error!;
    }

    public async Task<JsonObject> Sqs(string operation, string request)
    {
        var result = await Cloud.Queues.ExecuteAsync(operation, J(request), CancellationToken.None);
        Assert.False(result.Failed, result.Error?.ToString());
        return result.Value;
    }

    public async Task<JsonObject> S3(string operation, string request)
    {
        var result = await Cloud.Buckets.ExecuteAsync(operation, J(request), CancellationToken.None);
        Assert.False(result.Failed, result.Error?.ToString());
        return result.Value;
    }

    public async ValueTask DisposeAsync()
    {
        await Cloud.DisposeAsync();
        _dir.Dispose();
    }
}
