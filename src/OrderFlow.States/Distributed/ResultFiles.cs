using System.Text.Json;
using OrderFlow.Json;

namespace OrderFlow.States.Distributed;

/// <summary>
/// Writes child execution results as ResultWriter does: JSON arrays in <c>SUCCEEDED_n.json</c> and <c>FAILED_n.json</c>
/// (a new file every <see cref="EntriesPerFile"/> results), then <c>manifest.json</c> listing them. Results go to
/// temporary files as they arrive, so memory does not grow with the number of items. Each file's name is removed from
/// the temporary folder as soon as it is opened: the file lives as long as its open handle, so a process that is
/// killed or crashes mid-run leaves nothing behind.
/// </summary>
internal sealed class ResultFiles(string? temporaryFolder = null) : IAsyncDisposable
{
    public const int EntriesPerFile = 100_000;

    private readonly Dictionary<string, Part> _open = [];
    private readonly List<Part> _done = [];
    private readonly string _folder = temporaryFolder ?? Path.GetTempPath();
    private readonly string _prefix = "orderflow-results-" + Guid.NewGuid().ToString("N");
    private int _opened;

    private sealed class Part(string status, int number)
    {
        public string Status { get; } = status;

        public int Number { get; } = number;

        /// <summary>The name of the result file, as ResultWriter names it (SUCCEEDED_0.json).</summary>
        public string Name => $"{Status}_{Number}.json";

        public FileStream? Stream { get; set; }

        public Utf8JsonWriter? Writer { get; set; }

        public int Count { get; set; }
    }

    private System.Buffers.ArrayBufferWriter<byte> _scratch = new(1 << 16);

    /// <summary>
    /// Adds one entry: the members of <paramref name="entry"/>, then each of <paramref name="serialized"/> as a string
    /// holding that value's JSON text (ResultWriter's <c>Input</c> and <c>Output</c>). The text goes from the value to
    /// the file as UTF-8, never as one large .NET string.
    /// </summary>
    public void Add(string status, JsonObject entry, params (string Name, JsonValue Value)[] serialized)
    {
        if (_failure is not null)
        {
            return;
        }
        try
        {
            Write(status, entry, serialized);
        }
        catch (IOException ex)
        {
            Broken(ex);
        }
    }

    private void Write(string status, JsonObject entry, (string Name, JsonValue Value)[] serialized)
    {
        var writer = Writer(status);
        writer.WriteStartObject();
        foreach (var (name, value) in entry.Members)
        {
            writer.WritePropertyName(name);
            value.WriteTo(writer);
        }
        foreach (var (name, value) in serialized)
        {
            _scratch.Clear();
            value.WriteJsonText(_scratch);
            writer.WritePropertyName(name);
            writer.WriteStringValue(_scratch.WrittenSpan);
        }
        writer.WriteEndObject();
        Written(status);
        if (_scratch.Capacity > 1 << 22)
        {
            _scratch = new(1 << 16); // do not keep what one huge entry grew the buffer to
        }
    }

    /// <summary>Adds one entry that is <paramref name="value"/> itself (WriterConfig COMPACT and FLATTEN).</summary>
    public void AddValue(string status, JsonValue value)
    {
        if (_failure is not null)
        {
            return;
        }
        try
        {
            value.WriteTo(Writer(status));
            Written(status);
        }
        catch (IOException ex)
        {
            Broken(ex);
        }
    }

    /// <summary>
    /// Why the results could not be kept (the disk full, an I/O error), or null. The children go on: what they store
    /// does not depend on their results; the Map Run then fails with States.ResultWriterFailed, as on AWS when its
    /// ResultWriter cannot write (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html).
    /// </summary>
    private string? _failure;

    private void Broken(IOException exception)
    {
        _failure ??= $"Cannot write the Map Run's results to the temporary folder {_folder}: {exception.Message}";
        CloseQuietly();
    }

    // Closes the files, whose last bytes may not be writable any more; closing a file deletes it.
    private void CloseQuietly()
    {
        foreach (var part in _open.Values.Concat(_done))
        {
            try
            {
                part.Writer?.Dispose();
            }
            catch (IOException)
            {
                // The file is abandoned; it has no name left in the folder.
            }
            try
            {
                part.Stream?.Dispose();
            }
            catch (IOException)
            {
                // As above.
            }
        }
        _open.Clear();
        _done.Clear();
    }

    private Utf8JsonWriter Writer(string status)
    {
        if (!_open.TryGetValue(status, out var part) || part.Count >= EntriesPerFile)
        {
            var number = part is null ? 0 : part.Number + 1;
            if (part is not null)
            {
                Close(part);
            }
            part = new Part(status, number) { Stream = OpenNameless() };
            part.Writer = new Utf8JsonWriter(part.Stream);
            part.Writer.WriteStartArray();
            _open[status] = part;
        }
        return part.Writer!;
    }

    // A file read and written through its handle alone. Where a name cannot be removed while the file is open, the
    // file goes when it is closed (DeleteOnClose).
    private FileStream OpenNameless()
    {
        var path = Path.Combine(_folder, $"{_prefix}-{_opened++}.json");
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Delete, 1 << 16, FileOptions.DeleteOnClose);
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Deleted on close instead.
        }
        return stream;
    }

    private void Written(string status)
    {
        var part = _open[status];
        part.Count++;
        // Utf8JsonWriter buffers until told to flush: hand the bytes to the file as they come.
        if (part.Writer!.BytesPending > 1 << 16)
        {
            part.Writer.Flush();
        }
    }

    // Ends the file's JSON array; the file stays open (it has no other name) until it is uploaded.
    private void Close(Part part)
    {
        part.Writer!.WriteEndArray();
        part.Writer.Dispose();
        part.Writer = null;
        part.Stream!.Flush();
        _done.Add(part);
    }

    /// <summary>Uploads every file and the manifest; returns the manifest key, or the error.</summary>
    public async Task<(string? ManifestKey, string? Error)> UploadAsync(IObjectStore store, string bucket, string prefix, string mapRunArn, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var part in _open.Values.ToList())
            {
                Close(part);
            }
            _open.Clear();
        }
        catch (IOException ex)
        {
            Broken(ex);
        }
        if (_failure is not null)
        {
            return (null, _failure);
        }
        var folder = prefix.Length == 0 ? mapRunArn.Split(':')[^1] : $"{prefix.TrimEnd('/')}/{mapRunArn.Split(':')[^1]}";
        var files = new Dictionary<string, List<JsonValue>> { ["FAILED"] = [], ["PENDING"] = [], ["SUCCEEDED"] = [] };
        foreach (var part in _done)
        {
            var key = $"{folder}/{part.Name}";
            var content = part.Stream!;
            content.Position = 0;
            var size = content.Length;
            if (await store.WriteAsync(bucket, key, content, cancellationToken) is { } error)
            {
                return (null, $"Cannot write s3://{bucket}/{key}: {error}");
            }
            files[part.Status].Add(new JsonObjectBuilder(2).Set("Key", key).Set("Size", size).Build());
        }
        var manifest = new JsonObjectBuilder(3)
            .Set("DestinationBucket", bucket)
            .Set("MapRunArn", mapRunArn)
            .Set("ResultFiles", JsonObject.Create(files.Select(f => new KeyValuePair<string, JsonValue>(f.Key, new JsonArray([.. f.Value]))))).Build();
        var manifestKey = $"{folder}/manifest.json";
        using var manifestContent = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString()));
        var manifestError = await store.WriteAsync(bucket, manifestKey, manifestContent, cancellationToken);
        return manifestError is null ? (manifestKey, null) : (null, $"Cannot write s3://{bucket}/{manifestKey}: {manifestError}");
    }

    public ValueTask DisposeAsync()
    {
        CloseQuietly();
        return ValueTask.CompletedTask;
    }
}
