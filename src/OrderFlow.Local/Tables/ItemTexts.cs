using System.Buffers;
using OrderFlow.Json;

namespace OrderFlow.Local.Tables;

/// <summary>One item's stored text: a slice of its request's <see cref="ItemTexts"/>.</summary>
internal readonly record struct ItemText(ItemTexts Texts, int Start, int Length)
{
    public ReadOnlySpan<byte> Span => Texts.Slice(Start, Length);
}

/// <summary>
/// The stored text (compact JSON) of one request's items, written on the caller's thread before the write is queued:
/// the single SQLite writer, which every write of the process waits for, then only copies the bytes (writing the text
/// there took a fifth of the writer's time). The texts lie one after another in one pooled buffer (a request of 100
/// items takes one buffer: one array per item overflowed the pool, so that every item allocated its own), given back
/// by <see cref="Dispose"/> once the write is settled.
/// </summary>
internal sealed class ItemTexts(int capacityHint) : IBufferWriter<byte>, IDisposable
{
    private const int MinimumCapacity = 4096;

    private byte[]? _buffer;
    private int _length;
    private bool _disposed;

    /// <summary>Writes the item's stored text (<see cref="Read(JsonValue)"/>) after the texts already written.</summary>
    public ItemText Add(JsonObject item)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var start = _length;
        item.WriteJsonTextUnwrapping(this, "S");
        return new ItemText(this, start, _length - start);
    }

    /// <summary>
    /// The item a stored text holds. An item is stored as its JSON text with each string attribute written as its bare
    /// string (<c>"qty":"1"</c> for <c>"qty":{"S":"1"}</c>): an attribute value is otherwise always an object, so the two
    /// cannot be confused, and an order's item is a sixth shorter (less to write twice, in the log and in the database).
    /// Items stored whole by earlier versions read as they are.
    /// </summary>
    public static JsonObject Read(JsonValue stored)
    {
        var item = (JsonObject)stored;
        var members = default(KeyValuePair<string, JsonValue>[]);
        for (var i = 0; i < item.Count; i++)
        {
            if (item.ValueAt(i) is JsonString text)
            {
                members ??= [.. item.Members];
                members[i] = new(item.NameAt(i), JsonObject.Of("S", text));
            }
        }
        return members is null ? item : JsonObject.FromDistinct(members);
    }

    internal ReadOnlySpan<byte> Slice(int start, int length) =>
        !_disposed && _buffer is { } buffer ? buffer.AsSpan(start, length) : throw new ObjectDisposedException(nameof(ItemTexts));

    public void Advance(int count)
    {
        if (count < 0 || _length + count > (_buffer?.Length ?? 0))
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "advanced past the span handed out");
        }
        _length += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => Reserve(sizeHint).AsMemory(_length);

    public Span<byte> GetSpan(int sizeHint = 0) => Reserve(sizeHint).AsSpan(_length);

    private byte[] Reserve(int sizeHint)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var needed = _length + Math.Max(sizeHint, 1);
        if (_buffer is { } current && needed <= current.Length)
        {
            return current;
        }
        var grown = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(capacityHint, Math.Max(MinimumCapacity, (_buffer?.Length ?? 0) * 2))));
        if (_buffer is { } old)
        {
            old.AsSpan(0, _length).CopyTo(grown);
            GiveBack(old);
        }
        return _buffer = grown;
    }

    // A buffer grown past 1 MiB (a request of items near DynamoDB's 400 KB each) is left to the collector rather than
    // kept by the pool for the rest of the process.
    private static void GiveBack(byte[] buffer)
    {
        if (buffer.Length <= 1 << 20)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (_buffer is { } buffer)
        {
            _buffer = null;
            GiveBack(buffer);
        }
    }
}
