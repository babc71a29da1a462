using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace OrderFlow.Local.Buckets;

/// <summary>
/// Writes a new file in aligned blocks straight to the disk, past the page cache (Linux's <c>O_DIRECT</c>), where the
/// file system allows it, and through the page cache where it does not (other systems, tmpfs). A large object's bytes
/// are written once and read once, later, by the Distributed Map; copying them into new page-cache pages first was the
/// larger part of uploading a 310 MB order file on a VM whose new pages are costly (docs/performance.md).
/// https://man7.org/linux/man-pages/man2/open.2.html (O_DIRECT: "the file offset, the length and the address of the
/// buffer must all be multiples of the logical block size"; 4 KiB covers every block size in use).
/// </summary>
internal sealed partial class DirectFileWriter : IDisposable
{
    /// <summary>The alignment of offsets, lengths and buffer addresses a direct write needs.</summary>
    public const int Alignment = 4096;

    private const int SetStatusFlags = 4; // F_SETFL
    private const int GetStatusFlags = 3; // F_GETFL

    private readonly SafeFileHandle _handle;

    private DirectFileWriter(SafeFileHandle handle, bool direct)
    {
        _handle = handle;
        Direct = direct;
    }

    /// <summary>Whether writes bypass the page cache (until a direct write is refused: then the rest go through it).</summary>
    public bool Direct { get; private set; }

    /// <summary>Creates the file (it must not exist) and asks for direct writes when <paramref name="tryDirect"/>.</summary>
    public static DirectFileWriter Create(string path, bool tryDirect)
    {
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        return new DirectFileWriter(handle, tryDirect && TryMakeDirect(handle));
    }

    /// <summary>
    /// Writes <paramref name="length"/> bytes of <paramref name="buffer"/> at <paramref name="offset"/>. For a direct
    /// write the offset is a multiple of <see cref="Alignment"/>, the buffer aligned and at least the length rounded up
    /// to it: the rounding is zeroed and written too, and <see cref="Complete"/> cuts the file back to its size.
    /// </summary>
    public async ValueTask WriteAsync(AlignedBuffer buffer, int length, long offset, CancellationToken cancellationToken)
    {
        if (Direct)
        {
            var rounded = RoundUp(length);
            buffer.Span[length..rounded].Clear();
            if (await TryWriteDirectAsync(buffer.Memory[..rounded], offset, cancellationToken))
            {
                return;
            }
        }
        await RandomAccess.WriteAsync(_handle, buffer.Memory[..length], offset, cancellationToken);
    }

    /// <summary>
    /// Writes a whole aligned piece: its length a multiple of <see cref="Alignment"/>, its memory aligned (a slice of an
    /// <see cref="AlignedBuffer"/> at such a multiple), and <paramref name="offset"/> one too.
    /// </summary>
    public async ValueTask WriteAlignedAsync(ReadOnlyMemory<byte> piece, long offset, CancellationToken cancellationToken)
    {
        if (!Direct || !await TryWriteDirectAsync(piece, offset, cancellationToken))
        {
            await RandomAccess.WriteAsync(_handle, piece, offset, cancellationToken);
        }
    }

    private async ValueTask<bool> TryWriteDirectAsync(ReadOnlyMemory<byte> piece, long offset, CancellationToken cancellationToken)
    {
        try
        {
            await RandomAccess.WriteAsync(_handle, piece, offset, cancellationToken);
            return true;
        }
        catch (IOException) when (StopDirect())
        {
            // A file system that took the flag but not the write (an alignment it needs beyond 4 KiB, say): the
            // write is made again through the page cache, as are the ones after it.
            return false;
        }
    }

    private bool StopDirect()
    {
        if (!SetDirect(_handle, on: false))
        {
            return false;
        }
        Direct = false;
        return true;
    }

    /// <summary>Sets the file's final length and flushes it to the disk.</summary>
    public void Complete(long size)
    {
        if (RandomAccess.GetLength(_handle) != size)
        {
            RandomAccess.SetLength(_handle, size);
        }
        RandomAccess.FlushToDisk(_handle);
    }

    public void Dispose() => _handle.Dispose();

    internal static int RoundUp(int length) => (length + Alignment - 1) / Alignment * Alignment;

    /// <summary>Asks for direct I/O on an open file; false where the system or the file system has none.</summary>
    // A file system without direct I/O refuses the flag here (EINVAL), not at the first write.
    internal static bool TryMakeDirect(SafeFileHandle handle) => OperatingSystem.IsLinux() && SetDirect(handle, on: true);

    /// <summary>Sets or clears <c>O_DIRECT</c> among the file's status flags (F_GETFL, then F_SETFL); false if that fails.</summary>
    private static bool SetDirect(SafeFileHandle handle, bool on)
    {
        if (DirectFlag() is not { } direct)
        {
            return false;
        }
        var flags = Fcntl(handle, GetStatusFlags, 0);
        return flags >= 0 && Fcntl(handle, SetStatusFlags, on ? flags | direct : flags & ~direct) == 0;
    }

    // O_DIRECT's value depends on the architecture: octal 040000 on x86 (asm-generic), 0200000 on arm and arm64.
    private static int? DirectFlag() => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 or Architecture.X86 => 0x4000,
        Architecture.Arm64 or Architecture.Arm => 0x10000,
        _ => null,
    };

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(SafeFileHandle handle, int command, int argument);
}

/// <summary>A pinned buffer whose usable part starts at an address aligned for direct I/O.</summary>
internal sealed class AlignedBuffer
{
    private readonly byte[] _array;
    private readonly int _start;

    public AlignedBuffer(int capacity)
    {
        Capacity = DirectFileWriter.RoundUp(capacity);
        _array = GC.AllocateUninitializedArray<byte>(Capacity + DirectFileWriter.Alignment, pinned: true);
        var address = Marshal.UnsafeAddrOfPinnedArrayElement(_array, 0);
        _start = (int)((DirectFileWriter.Alignment - (address.ToInt64() % DirectFileWriter.Alignment)) % DirectFileWriter.Alignment);
    }

    public int Capacity { get; }

    public Memory<byte> Memory => _array.AsMemory(_start, Capacity);

    public Span<byte> Span => _array.AsSpan(_start, Capacity);
}
