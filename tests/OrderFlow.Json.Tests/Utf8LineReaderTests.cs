using System.Text;

namespace OrderFlow.Json.Tests;

public class Utf8LineReaderTests
{
    /// <summary>Reads every line through a stream that returns at most <paramref name="chunk"/> bytes per read.</summary>
    private static async Task<(List<(long Number, string Text)> Lines, string? Bom)> ReadAll(byte[] content, int chunk)
    {
        using var reader = new Utf8LineReader(new TrickleStream(content, chunk));
        var lines = new List<(long, string)>();
        while (await reader.NextAsync(CancellationToken.None) is { } number)
        {
            lines.Add((number, Encoding.UTF8.GetString(reader.Current)));
        }
        return (lines, reader.ByteOrderMark);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(1 << 20)]
    public async Task NextAsync_MixedLineEndings_SplitsAndNumbersLines(int chunk)
    {
        var (lines, bom) = await ReadAll(Encoding.UTF8.GetBytes("a\r\n\nbé\nlast"), chunk);
        Assert.Equal([(1L, "a"), (2L, ""), (3L, "bé"), (4L, "last")], lines);
        Assert.Null(bom);
    }

    [Fact]
    public async Task NextAsync_TrailingNewline_AddsNoEmptyLine()
    {
        var (lines, _) = await ReadAll("x\ny\n"u8.ToArray(), 2);
        Assert.Equal(["x", "y"], lines.Select(l => l.Text));
    }

    [Fact]
    public async Task NextAsync_Utf8ByteOrderMark_IsSkippedAndReported()
    {
        var (lines, bom) = await ReadAll([0xEF, 0xBB, 0xBF, .. "{}\n"u8], 1);
        Assert.Equal("{}", Assert.Single(lines).Text);
        Assert.Equal("UTF-8", bom);
    }

    [Fact]
    public async Task NextAsync_NotAtStartOfText_KeepsLeadingBytesAsText()
    {
        // A reader of a chunk that starts mid-file: a byte order mark there is part of the line, for the caller to refuse.
        using var reader = new Utf8LineReader(new MemoryStream([0xEF, 0xBB, 0xBF, .. "{}\n"u8]), startOfText: false);

        Assert.Equal(1, await reader.NextAsync(CancellationToken.None));
        Assert.Equal([0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}'], reader.Current.ToArray());
        Assert.Null(reader.ByteOrderMark);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFE, (byte)'a', 0 }, "UTF-16")]
    [InlineData(new byte[] { 0xFE, 0xFF, 0, (byte)'a' }, "UTF-16")]
    [InlineData(new byte[] { 0xFF, 0xFE, 0, 0, (byte)'a', 0, 0, 0 }, "UTF-32")]
    public async Task NextAsync_OtherByteOrderMarks_AreReportedNotSkipped(byte[] content, string expected)
    {
        var (lines, bom) = await ReadAll(content, 2);
        Assert.Equal(expected, bom);
        Assert.Equal(content.Length, Encoding.Latin1.GetByteCount(Assert.Single(lines).Text));
    }

    [Fact]
    public async Task NextAsync_LineLongerThanTheBuffer_IsReturnedWhole()
    {
        var longLine = new string('x', 3 << 20);
        var (lines, _) = await ReadAll(Encoding.UTF8.GetBytes("a\n" + longLine + "\nb"), 64 * 1024);
        Assert.Equal(["a", longLine, "b"], lines.Select(l => l.Text));
    }

    [Fact]
    public async Task NextAsync_EmptyStream_HasNoLines()
    {
        var (lines, _) = await ReadAll([], 1);
        Assert.Empty(lines);
    }

    private sealed class TrickleStream(byte[] content, int chunk) : MemoryStream(content)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
