using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using OrderFlow.Json;

namespace OrderFlow.States.Distributed;

/// <summary>
/// Streams the elements of a JSON array out of a stream, one at a time, in memory bounded by the largest element:
/// the array is the whole document, or the one at a JSON Pointer inside it (<c>/orders</c> reads the seed's
/// <c>{"orders":[...]}</c>). Each element is parsed on its own and released once consumed.
/// </summary>
public static class JsonArrayStream
{
    private const int InitialBuffer = 1 << 16;

    public static async IAsyncEnumerable<JsonValue> ReadAsync(Stream stream, string? pointer, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var path = ParsePointer(pointer);
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
        try
        {
            var length = 0;
            var final = false;
            var state = new JsonReaderState(new JsonReaderOptions { MaxDepth = 1000 });
            var phase = new Navigator(path);
            long index = 0;
            var atStart = true;
            while (true)
            {
                if (!final && length < buffer.Length)
                {
                    var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
                    length += read;
                    final = read == 0;
                }
                if (atStart)
                {
                    if (length < Utf8ByteOrderMark.Bytes.Length && !final)
                    {
                        continue; // too little read yet to tell whether the file starts with a byte order mark
                    }
                    atStart = false;
                    length = Utf8ByteOrderMark.Remove(buffer, length);
                }
                var items = new List<JsonValue>();
                int consumed;
                bool done;
                try
                {
                    (consumed, done) = Scan(buffer.AsSpan(0, length), final, ref state, phase, items, ref index);
                }
                catch (JsonException ex)
                {
                    var reason = ex.Message;
                    var cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
                    reason = cut > 0 ? reason[..cut].TrimEnd('.', ' ') : reason;
                    throw new ItemReaderException($"The JSON item file is malformed near item {index + 1}, at line {(ex.LineNumber ?? 0) + 1}, column {(ex.BytePositionInLine ?? 0) + 1}: {reason}.");
                }
                catch (JsonParseException ex)
                {
                    throw new ItemReaderException($"Item {index + 1} of the JSON item file is malformed: {ex.Message}");
                }
                foreach (var item in items)
                {
                    yield return item;
                }
                if (done)
                {
                    yield break;
                }
                if (consumed == 0 && length == buffer.Length)
                {
                    // One element is larger than the buffer: grow it.
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                    continue;
                }
                buffer.AsSpan(consumed, length - consumed).CopyTo(buffer);
                length -= consumed;
                if (final && consumed == 0)
                {
                    throw new ItemReaderException(phase.InArray
                        ? $"The JSON item file ends in the middle of item {index + 1}."
                        : pointer is null ? "The JSON item file does not hold an array." : $"The JSON item file has no array at \"{pointer}\".");
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads as far as the buffer allows; returns bytes consumed and whether the array has ended.</summary>
    private static (int Consumed, bool Done) Scan(ReadOnlySpan<byte> data, bool final, ref JsonReaderState state, Navigator navigator, List<JsonValue> items, ref long index)
    {
        var reader = new Utf8JsonReader(data, final, state);
        var consumed = 0;
        while (true)
        {
            var checkpoint = reader.CurrentState;
            var start = (int)reader.BytesConsumed;
            if (!reader.Read())
            {
                break;
            }
            if (navigator.InArray)
            {
                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    state = reader.CurrentState;
                    return ((int)reader.BytesConsumed, true);
                }
                var tokenStart = (int)reader.TokenStartIndex;
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip())
                {
                    state = checkpoint;
                    return (start, false);
                }
                items.Add(JsonValue.Parse(data[tokenStart..(int)reader.BytesConsumed]));
                index++;
            }
            else if (!navigator.Step(ref reader))
            {
                state = checkpoint;
                return (start, false);
            }
            consumed = (int)reader.BytesConsumed;
            state = reader.CurrentState;
        }
        return (consumed, false);
    }

    private static string[] ParsePointer(string? pointer)
    {
        if (string.IsNullOrEmpty(pointer))
        {
            return [];
        }
        if (pointer[0] != '/')
        {
            throw new ItemReaderException($"\"{pointer}\" is not a JSON Pointer: it must start with '/'.");
        }
        return [.. pointer[1..].Split('/').Select(p => p.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];
    }

    /// <summary>Walks the document's tokens down to the array at the pointer, skipping everything else.</summary>
    private sealed class Navigator(string[] path)
    {
        private int _depthMatched;
        private bool _expectObject;

        public bool InArray { get; private set; }

        /// <summary>Handles one token; false when a value to skip is not wholly in the buffer yet.</summary>
        public bool Step(ref Utf8JsonReader reader)
        {
            if (_depthMatched == path.Length)
            {
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw new ItemReaderException(path.Length == 0
                        ? "The JSON item file does not hold an array: use ItemsPointer to name the array inside it."
                        : $"The value at \"/{string.Join('/', path)}\" is not an array.");
                }
                InArray = true;
                return true;
            }
            if (_expectObject)
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw new ItemReaderException($"\"/{string.Join('/', path.Take(_depthMatched))}\" is not an object.");
                }
                _expectObject = false;
                return true;
            }
            if (_depthMatched == 0 && reader.CurrentDepth == 0 && reader.TokenType == JsonTokenType.StartObject)
            {
                return true;
            }
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == _depthMatched + 1 && reader.ValueTextEquals(path[_depthMatched]))
            {
                _depthMatched++;
                _expectObject = _depthMatched < path.Length;
                return true;
            }
            if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth <= _depthMatched)
            {
                throw new ItemReaderException($"The JSON item file has no array at \"/{string.Join('/', path)}\".");
            }
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                return reader.TrySkip();
            }
            if (reader.CurrentDepth == 0)
            {
                throw new ItemReaderException("The JSON item file is not an object or array.");
            }
            return true;
        }
    }
}
