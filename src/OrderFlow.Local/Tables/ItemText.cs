using System.Buffers;
using OrderFlow.Json;

namespace OrderFlow.Local.Tables;

/// <summary>
/// An item's stored text (its compact JSON), written on the caller's thread before its write is queued: the single
/// SQLite writer, which every write of the process waits for, then only copies the bytes (writing the text there took
/// a fifth of the writer's time). The bytes live in a pooled array, given back by <see cref="Dispose"/> once the write
/// is settled.
/// </summary>
internal sealed class ItemText : IDisposable
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _scratch;

    private byte[]? _bytes;
    private readonly int _length;

    private ItemText(byte[] bytes, int length)
    {
        _bytes = bytes;
        _length = length;
    }

    public static ItemText Of(JsonObject item)
    {
        var scratch = Scratch(item);
        var bytes = ArrayPool<byte>.Shared.Rent(scratch.Length);
        scratch.CopyTo(bytes);
        return new ItemText(bytes, scratch.Length);
    }

    /// <summary>
    /// The item's text in this thread's scratch buffer, valid until the thread's next call (for a writer that stores
    /// it at once). A huge item does not keep its buffer.
    /// </summary>
    internal static ReadOnlySpan<byte> Scratch(JsonObject item)
    {
        var scratch = _scratch ??= new ArrayBufferWriter<byte>(1024);
        scratch.ResetWrittenCount();
        item.WriteJsonText(scratch);
        if (scratch.Capacity > 1 << 20)
        {
            _scratch = null;
        }
        return scratch.WrittenSpan;
    }

    public ReadOnlySpan<byte> Span => _bytes is { } bytes ? bytes.AsSpan(0, _length) : throw new ObjectDisposedException(nameof(ItemText));

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _bytes, null) is { } bytes)
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }
}
