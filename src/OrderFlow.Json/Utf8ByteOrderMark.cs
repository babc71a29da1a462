namespace OrderFlow.Json;

/// <summary>
/// The UTF-8 byte order mark (EF BB BF) some editors and tools (Notepad, PowerShell 5's Out-File) write before the text:
/// not JSON, and ignored where a file or document starts, as RFC 8259 section 8.1 lets a parser do. One definition for
/// every reader of order files.
/// </summary>
public static class Utf8ByteOrderMark
{
    public static ReadOnlySpan<byte> Bytes => [0xEF, 0xBB, 0xBF];

    /// <summary>Whether <paramref name="text"/> starts with the mark.</summary>
    public static bool StartsWith(ReadOnlySpan<byte> text) => text.StartsWith(Bytes);

    /// <summary>Removes a mark at the start of the first <paramref name="length"/> bytes of <paramref name="buffer"/>, moving the rest up; the new length.</summary>
    public static int Remove(byte[] buffer, int length)
    {
        if (!StartsWith(buffer.AsSpan(0, length)))
        {
            return length;
        }
        buffer.AsSpan(Bytes.Length, length - Bytes.Length).CopyTo(buffer);
        return length - Bytes.Length;
    }
}
