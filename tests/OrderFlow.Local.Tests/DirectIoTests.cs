using System.Runtime.InteropServices;
using OrderFlow.Local.Buckets;

namespace OrderFlow.Local.Tests;

/// <summary>Large objects written and read in aligned chunks, past the page cache where the file system allows it.</summary>
public sealed class DirectIoTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public void AlignedBuffer_New_StartsAtAlignedAddressWithRoundedCapacity()
    {
        var buffer = new AlignedBuffer(10_000);

        Assert.True(MemoryMarshal.TryGetArray<byte>(buffer.Memory, out var segment));
        var address = Marshal.UnsafeAddrOfPinnedArrayElement(segment.Array!, segment.Offset);
        Assert.Equal(0, address % DirectFileWriter.Alignment);
        Assert.Equal(12_288, buffer.Capacity);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task WriteAsync_PartsWithUnalignedLast_FileHoldsExactlyTheBytes(bool tryDirect)
    {
        var content = RandomBytes(3 * 8192 + 5_000);
        var path = Path.Combine(_dir.Path, "object");
        var buffer = new AlignedBuffer(8192);

        using (var writer = DirectFileWriter.Create(path, tryDirect))
        {
            foreach (var (part, index) in content.Chunk(8192).Select((p, i) => (p, i)))
            {
                part.CopyTo(buffer.Span);
                await writer.WriteAsync(buffer, part.Length, index * 8192L, CancellationToken.None);
            }
            writer.Complete(content.Length);
        }

        Assert.Equal(content, File.ReadAllBytes(path));
    }

    [Fact]
    public async Task WriteAsync_DirectWriteRefused_WrittenThroughThePageCacheFromThenOn()
    {
        var content = RandomBytes(5_000);
        var path = Path.Combine(_dir.Path, "object");
        var buffer = new AlignedBuffer(8192);
        content.CopyTo(buffer.Span);

        using (var writer = DirectFileWriter.Create(path, tryDirect: true))
        {
            // An offset that is not a multiple of the block size: a direct write of it fails (EINVAL).
            await writer.WriteAsync(buffer, content.Length, 100, CancellationToken.None);
            Assert.False(writer.Direct);
            writer.Complete(100 + content.Length);
        }

        Assert.Equal(new byte[100].Concat(content), File.ReadAllBytes(path));
    }

    [Fact]
    public void Create_ExistingFile_Throws()
    {
        var path = Path.Combine(_dir.Path, "object");
        File.WriteAllText(path, "x");

        Assert.Throws<IOException>(() => DirectFileWriter.Create(path, tryDirect: true));
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(true, 4_097)]
    [InlineData(true, 3 * 1024 * 1024)]
    [InlineData(false, 65_536)]
    public async Task ReadAsync_InPiecesOfAnySize_GivesTheFileAsWritten(bool tryDirect, int piece)
    {
        var content = RandomBytes((5 * 1024 * 1024 / 2) + 123); // two whole chunks and a part of one
        var path = Path.Combine(_dir.Path, "object");
        await File.WriteAllBytesAsync(path, content);

        await using var stream = DirectReadStream.Open(path, tryDirect);
        using var read = new MemoryStream();
        var buffer = new byte[piece];
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0)
        {
            read.Write(buffer, 0, n);
        }

        Assert.Equal(content, read.ToArray());
        Assert.Equal(content.Length, stream.Position);
        Assert.Equal(0, await stream.ReadAsync(buffer));
    }

    [Fact]
    public void Read_Synchronously_GivesTheFileAsWritten()
    {
        var content = RandomBytes((1024 * 1024) + 7);
        var path = Path.Combine(_dir.Path, "object");
        File.WriteAllBytes(path, content);

        using var stream = DirectReadStream.Open(path, tryDirect: true);
        using var read = new MemoryStream();
        stream.CopyTo(read);

        Assert.Equal(content, read.ToArray());
    }

    [Fact]
    public async Task ReadAsync_EmptyFile_EndsAtOnce()
    {
        var path = Path.Combine(_dir.Path, "empty");
        await File.WriteAllBytesAsync(path, []);

        await using var stream = DirectReadStream.Open(path, tryDirect: true);

        Assert.Equal(0, await stream.ReadAsync(new byte[16]));
    }

    [Fact]
    public async Task Dispose_WhileReadingAhead_ClosesTheFileAfterTheRead()
    {
        var path = Path.Combine(_dir.Path, "object");
        await File.WriteAllBytesAsync(path, RandomBytes(4 * 1024 * 1024));
        var stream = DirectReadStream.Open(path, tryDirect: true);
        Assert.Equal(16, await stream.ReadAsync(new byte[16])); // the second chunk is being read now
        Assert.True(OpenHere(path));

        await stream.DisposeAsync();

        for (var i = 0; i < 100 && OpenHere(path); i++)
        {
            await Task.Delay(50);
        }
        Assert.False(OpenHere(path));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Create_DirectAskedOrNot_FileOpenedAsTheWriterSays(bool tryDirect)
    {
        var path = Path.Combine(_dir.Path, "object");
        using var writer = DirectFileWriter.Create(path, tryDirect);

        Assert.True(tryDirect || !writer.Direct);
        if (!OperatingSystem.IsLinux())
        {
            Assert.False(writer.Direct);
            return;
        }
        // /proc shows an open file's flags in octal; O_DIRECT is among them exactly when the writer says so.
        var directFlag = RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86 ? 0x4000 : 0x10000;
        var fd = OpenDescriptors(path).Single();
        var flags = File.ReadLines($"/proc/self/fdinfo/{fd}").First(l => l.StartsWith("flags:", StringComparison.Ordinal));
        Assert.Equal(writer.Direct, (Convert.ToInt32(flags["flags:".Length..].Trim(), 8) & directFlag) != 0);
    }

    private static bool OpenHere(string path) => !OperatingSystem.IsLinux() || OpenDescriptors(path).Any();

    // The process's descriptors open on the file (Linux: /proc/self/fd).
    private static IEnumerable<string> OpenDescriptors(string path) =>
        new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos()
            .Where(f => f.LinkTarget == Path.GetFullPath(path))
            .Select(f => f.Name);
}
