using System.Buffers.Binary;
using OrderFlow.States.Execution;

namespace OrderFlow.Local.Queues;

/// <summary>
/// Message ids as time-ordered UUIDs (version 7, RFC 9562 §5.7: a 48-bit Unix time in milliseconds, then random
/// bits), from the injected clock and random source. SQS ids are opaque to clients; ordered ones make each new
/// message's entry in the id index land at its end instead of on a random page, which for 100,000 rejected orders
/// is the difference between appending and rewriting a random page per message.
/// https://www.rfc-editor.org/rfc/rfc9562#section-5.7
/// </summary>
internal static class MessageIds
{
    public static string New(long unixMilliseconds, IRandomSource random)
    {
        // The random bits come from the random source's generator, not from a new GUID: on Linux every Guid.NewGuid
        // reads the kernel's random device, a system call per rejected order. SQS ids are opaque, not secrets.
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, random.NextInt64(long.MinValue, long.MaxValue));
        BinaryPrimitives.WriteInt64LittleEndian(bytes[8..], random.NextInt64(long.MinValue, long.MaxValue));
        var time = (ulong)unixMilliseconds;
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(time >> (8 * (5 - i)));
        }
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F)); // version 7
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F)); // variant 10
        return new Guid(bytes, bigEndian: true).ToString();
    }
}
