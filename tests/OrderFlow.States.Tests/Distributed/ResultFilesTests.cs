using System.Runtime.CompilerServices;
using OrderFlow.Json;
using OrderFlow.States.Distributed;

namespace OrderFlow.States.Tests.Distributed;

public sealed class ResultFilesTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("orderflow-resultfiles-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    /// <summary>Keeps what is written to it, by key.</summary>
    private sealed class MemoryStore : IObjectStore
    {
        public Dictionary<string, string> Objects { get; } = [];

        public ValueTask<ObjectRead> OpenReadAsync(string bucket, string key, CancellationToken cancellationToken) =>
            ValueTask.FromResult(ObjectRead.Fail("NoSuchKey"));

        public async IAsyncEnumerable<JsonObject> ListAsync(string bucket, string? prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.CompletedTask;
            yield break;
        }

        public async ValueTask<string?> WriteAsync(string bucket, string key, Stream content, CancellationToken cancellationToken)
        {
            using var reader = new StreamReader(content, leaveOpen: true);
            Objects[$"{bucket}/{key}"] = await reader.ReadToEndAsync(cancellationToken);
            return null;
        }
    }

    [Fact]
    public async Task Add_ResultsWritten_LeaveNoNameInTheTemporaryFolder()
    {
        await using var files = new ResultFiles(_temp);

        files.AddValue("SUCCEEDED", JsonValue.FromNumber(1));
        files.AddValue("FAILED", JsonValue.FromString("x"));

        // A process killed now leaves nothing behind: the files live only through their open handles.
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp));
    }

    [Fact]
    public async Task UploadAsync_NamelessFiles_UploadsEachFileAndTheManifestWithTheirSizes()
    {
        var store = new MemoryStore();
        await using (var files = new ResultFiles(_temp))
        {
            files.AddValue("SUCCEEDED", JsonValue.FromNumber(1));
            files.AddValue("SUCCEEDED", JsonValue.FromNumber(2));
            files.AddValue("FAILED", JsonValue.FromString("x"));

            var (manifestKey, error) = await files.UploadAsync(store, "results", "runs", "arn:aws:states:us-east-1:123456789012:mapRun:pipeline/Map:run1", CancellationToken.None);

            Assert.Null(error);
            Assert.Equal("runs/run1/manifest.json", manifestKey);
        }
        Assert.Equal("[1,2]", store.Objects["results/runs/run1/SUCCEEDED_0.json"]);
        Assert.Equal("[\"x\"]", store.Objects["results/runs/run1/FAILED_0.json"]);
        var manifest = (JsonObject)JsonValue.Parse(store.Objects["results/runs/run1/manifest.json"]);
        var succeeded = (JsonArray)((JsonObject)manifest["ResultFiles"]!)["SUCCEEDED"]!;
        Assert.Equal(JsonValue.FromNumber(5), ((JsonObject)succeeded[0])["Size"]);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp));
    }

    [Fact]
    public async Task UploadAsync_TemporaryFolderMissing_FailsWithTheFolderInTheError()
    {
        var missing = Path.Combine(_temp, "missing");
        await using var files = new ResultFiles(missing);

        files.AddValue("SUCCEEDED", JsonValue.FromNumber(1));
        var (manifestKey, error) = await files.UploadAsync(new MemoryStore(), "results", "", "arn:aws:states:us-east-1:123456789012:mapRun:pipeline/Map:run1", CancellationToken.None);

        Assert.Null(manifestKey);
        Assert.StartsWith($"Cannot write the Map Run's results to the temporary folder {missing}: ", error, StringComparison.Ordinal);
    }
}
