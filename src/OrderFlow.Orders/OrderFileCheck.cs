using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using OrderFlow.Json;

namespace OrderFlow.Orders;

/// <summary>
/// Reads an order file once, without keeping it, and tells whether the pipeline can read it to its end: not empty,
/// UTF-8, well-formed JSON (one value per line for JSON Lines), CSV rows as wide as the header, and no order larger
/// than a state may carry. <c>orderflow process</c> and <c>watch</c> check a file before it enters the bucket, so a
/// malformed file is refused whole with its first fault (line and column) and nothing of it is stored. Fast: a
/// syntax scan, no values built.
/// </summary>
public static partial class OrderFileCheck
{
    /// <summary>The largest order a line, row or document may hold: Step Functions' 256 KiB state payload quota.</summary>
    public const int MaxOrderBytes = 256 * 1024;

    private static readonly JsonReaderOptions Reader = new() { MaxDepth = 1000 };

    // The pipeline tells the seed's document from an array by the object's first bytes ("Read Head", "JSON Shape" in
    // definitions/order-pipeline.asl.json): its "orders" member must be named within them.
    private const int HeadBytes = 64;

    /// <summary>
    /// Null when the file can be read; otherwise its first fault: <c>OrderFile.Empty</c>, or <c>OrderFile.Malformed</c>
    /// with the line (and column, where it helps) and what is wrong, for a person.
    /// </summary>
    public static async Task<(string Error, string Message)?> CheckAsync(string path, CancellationToken cancellationToken) =>
        (await InspectAsync(path, cancellationToken)).Fault;

    /// <summary>
    /// <see cref="CheckAsync"/>'s verdict, and how many orders the file holds when it can be read (a progress bar's
    /// total): its JSON Lines that are not blank, its CSV records after the header, or the elements of its JSON array
    /// (the top-level one, or the seed's <c>orders</c>); null for a type the pipeline does not read.
    /// </summary>
    public static async Task<OrderFileReport> InspectAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        if (stream.Length == 0)
        {
            return new(("OrderFile.Empty", "The file is empty (0 bytes): it holds no orders."), null);
        }
        var (fault, orders, shape) = await ScanAsync(stream, Path.GetExtension(path).ToLowerInvariant(), cancellationToken);
        return fault is null ? new(null, orders)
            : shape ? new(("OrderFile.Unsupported", $"None of the file was processed: {fault}."), null)
            : new(("OrderFile.Malformed", $"The file cannot be read to its end, so none of it was processed: {fault}."), null);
    }

    /// <summary>The first fault, the orders counted, and whether the fault is the shape of well-formed JSON.</summary>
    private static async Task<(string? Fault, long? Orders, bool Shape)> ScanAsync(Stream stream, string extension, CancellationToken cancellationToken)
    {
        switch (extension)
        {
            case ".jsonl" or ".ndjson":
                if (await LineChunks.SplitAsync(stream, cancellationToken) is { } chunks)
                {
                    var parallel = await CheckLinesInParallelAsync(stream, chunks, cancellationToken);
                    return (parallel.Fault, parallel.Orders, false);
                }
                var lines = await CheckLinesAsync(stream, csv: false, cancellationToken);
                return (lines.Fault, lines.Orders, false);
            case ".csv":
                var rows = await CheckLinesAsync(stream, csv: true, cancellationToken);
                return (rows.Fault, rows.Orders, false);
            case ".json":
                return await CheckDocumentAsync(stream, cancellationToken);
            default:
                return (null, null, false); // the pipeline refuses other types itself, naming the ones it reads
        }
    }

    /// <summary>
    /// A large JSON Lines file, its chunks checked side by side (one per core; each starts after a line end, so its
    /// lines are the file's). Each chunk counts its lines; the first chunk with a fault is then checked again with its
    /// true first line number, so the message names the line exactly as the one-pass check does.
    /// </summary>
    private static async Task<(string? Fault, long Orders)> CheckLinesInParallelAsync(Stream file, IReadOnlyList<(long Start, long End)> chunks, CancellationToken cancellationToken)
    {
        var path = ((FileStream)file).Name;
        var results = await Task.WhenAll(chunks.Select((chunk, i) => Task.Run(async () =>
        {
            await using var slice = LineChunks.Open(path, chunk);
            return await CheckLinesAsync(slice, csv: false, cancellationToken, startOfText: i == 0);
        }, cancellationToken)));
        var linesBefore = 0L;
        for (var i = 0; i < chunks.Count; i++)
        {
            if (results[i].Fault is not null)
            {
                await using var slice = LineChunks.Open(path, chunks[i]);
                return ((await CheckLinesAsync(slice, csv: false, cancellationToken, startOfText: i == 0, linesBefore)).Fault, 0);
            }
            linesBefore += results[i].Lines;
        }
        return (null, results.Sum(r => r.Orders));
    }

    /// <summary>
    /// JSON Lines or CSV, a line at a time (a CSV record may span lines inside quotes): the first fault, with line
    /// numbers counted from <paramref name="linesBefore"/>, how many lines were read and how many orders they hold.
    /// </summary>
    private static async Task<(string? Fault, long Lines, long Orders)> CheckLinesAsync(Stream stream, bool csv, CancellationToken cancellationToken, bool startOfText = true, long linesBefore = 0)
    {
        using var lines = new Utf8LineReader(stream, startOfText);
        var csvState = new CsvState();
        var count = 0L;
        var orders = 0L;
        while (await lines.NextAsync(cancellationToken) is { } localLine)
        {
            count = localLine;
            var line = linesBefore + localLine;
            if (lines.ByteOrderMark is "UTF-16" or "UTF-32")
            {
                return ($"the file is {lines.ByteOrderMark} (it starts with that byte order mark): save it as UTF-8", count, 0);
            }
            var fault = csv ? csvState.Check(lines.Current, line) : CheckJsonLine(lines.Current, line);
            if (fault is not null)
            {
                return (fault, count, 0);
            }
            if (!csv && !IsBlank(lines.Current))
            {
                orders++;
            }
        }
        return (csv ? csvState.AtEnd() : null, count, csv ? csvState.Records : orders);
    }

    // A JSON Lines line of white space only: skipped by the reader, so neither a fault nor an order.
    private static bool IsBlank(ReadOnlySpan<byte> text) => text.Trim(" \t\r\f\v"u8).IsEmpty;

    private static string? CheckJsonLine(ReadOnlySpan<byte> text, long line)
    {
        if (IsBlank(text))
        {
            return null;
        }
        if (Utf8Fault(text) is { } column)
        {
            return $"line {line}, column {column}: not valid UTF-8 (save the file as UTF-8)";
        }
        if (text.Length > MaxOrderBytes)
        {
            return $"line {line}: {text.Length:N0} bytes, but an order may be at most {MaxOrderBytes / 1024} KiB";
        }
        if (JsonLineScan.IsPlainValid(text))
        {
            return null; // nearly every line: no need to tokenize it
        }
        var reader = new Utf8JsonReader(text, Reader);
        try
        {
            while (reader.Read())
            {
                if (StringFault(ref reader, utf8Checked: true) is { } fault)
                {
                    return $"line {line}, column {reader.TokenStartIndex + 1}: {fault}";
                }
            }
            return reader.BytesConsumed == 0 ? $"line {line}: no JSON value" : null;
        }
        catch (JsonException ex)
        {
            return $"line {line}, column {(ex.BytePositionInLine ?? 0) + 1}: not valid JSON: {Reason(ex)}";
        }
    }

    /// <summary>
    /// A .json file: one document, read in chunks with the reader's state carried across them. Well-formed, it must
    /// also be an array of orders or an object with an <c>orders</c> array (the seed's shape); any other document is
    /// refused by its shape.
    /// </summary>
    private static async Task<(string? Fault, long Orders, bool Shape)> CheckDocumentAsync(Stream stream, CancellationToken cancellationToken)
    {
        var items = new ItemCount();
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            var state = new JsonReaderState(Reader);
            int length = 0;
            var final = false;
            var tokens = 0L;
            var linesBefore = 0L;
            var first = true;
            var headNamesOrders = false;
            while (true)
            {
                if (!final)
                {
                    var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
                    length += read;
                    final = read == 0;
                }
                if (first && (length >= Utf8ByteOrderMark.Bytes.Length || final))
                {
                    first = false;
                    headNamesOrders = buffer.AsSpan(0, Math.Min(length, HeadBytes)).IndexOf("\"orders\""u8) >= 0;
                    length = Utf8ByteOrderMark.Remove(buffer, length);
                }
                if (final && tokens == 0 && buffer.AsSpan(0, length).Trim(" \t\r\n"u8).IsEmpty)
                {
                    return ("no JSON value in the file, only white space", 0, false);
                }
                var (consumed, fault, count) = Scan(buffer.AsSpan(0, length), final, ref state, linesBefore, items);
                tokens += count;
                if (fault is not null)
                {
                    return (fault, 0, false);
                }
                if (final)
                {
                    return items.ShapeFault(headNamesOrders) is { } shape ? (shape, 0, true) : (null, items.Items, false);
                }
                linesBefore += buffer.AsSpan(0, consumed).Count((byte)'\n');
                Buffer.BlockCopy(buffer, consumed, buffer, 0, length - consumed);
                length -= consumed;
                if (length == buffer.Length)
                {
                    // One token larger than the buffer (a very long string): grow it.
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    Buffer.BlockCopy(buffer, 0, larger, 0, length);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static (int Consumed, string? Fault, long Tokens) Scan(ReadOnlySpan<byte> data, bool final, ref JsonReaderState state, long linesBefore, ItemCount items)
    {
        var reader = new Utf8JsonReader(data, final, state);
        long tokens = 0;
        try
        {
            while (reader.Read())
            {
                tokens++;
                items.See(ref reader);
                if (StringFault(ref reader, utf8Checked: false) is { } fault)
                {
                    var line = linesBefore + data[..(int)reader.TokenStartIndex].Count((byte)'\n') + 1;
                    return (0, $"line {line}: {fault}", tokens);
                }
            }
        }
        catch (JsonException ex)
        {
            return (0, $"line {(ex.LineNumber ?? 0) + 1}, column {(ex.BytePositionInLine ?? 0) + 1}: not valid JSON: {Reason(ex)}", tokens);
        }
        state = reader.CurrentState;
        return ((int)reader.BytesConsumed, null, tokens);
    }

    /// <summary>
    /// Why the current string or name is no text, or null. The reader checks a string's UTF-8, and decodes its
    /// <c>\u</c> escapes, only when the string is read: a string of bytes that are not UTF-8, or with an escape that is
    /// half of a surrogate pair (<c>\ud800</c> alone), is caught here. Only escaped strings are decoded, so the scan
    /// stays a scan. <paramref name="utf8Checked"/>: the text around the string was checked whole already.
    /// </summary>
    private static string? StringFault(ref Utf8JsonReader reader, bool utf8Checked)
    {
        if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName))
        {
            return null;
        }
        if (!utf8Checked && Utf8Fault(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan) is not null)
        {
            return "a string is not valid UTF-8 (save the file as UTF-8)";
        }
        if (!reader.ValueIsEscaped)
        {
            return null;
        }
        try
        {
            reader.GetString();
            return null;
        }
        catch (InvalidOperationException)
        {
            return "a string has a \\u escape that is half of a surrogate pair (such as \\ud800 alone), which is not text";
        }
    }

    /// <summary>The 1-based column of the first byte that is not UTF-8, or null.</summary>
    internal static int? Utf8Fault(ReadOnlySpan<byte> text)
    {
        if (Utf8.IsValid(text))
        {
            return null;
        }
        Span<char> sink = stackalloc char[256];
        var offset = 0;
        while (true)
        {
            var status = Utf8.ToUtf16(text[offset..], sink, out var read, out _, replaceInvalidSequences: false);
            offset += read;
            if (status != OperationStatus.DestinationTooSmall)
            {
                return offset + 1;
            }
        }
    }

    private static string Reason(JsonException ex)
    {
        var reason = ex.Message;
        var cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? reason[..cut] : reason).TrimEnd('.', ' ');
    }
}
