using System.Text;

namespace OrderFlow.Json;

/// <summary>
/// A process-wide table of property names, looked up by their UTF-8 bytes: order files and events repeat the same
/// few names endlessly, so the parser gets one shared string per name with no decoding and no allocation.
/// Lookups take no lock; the table stops growing at <see cref="Capacity"/> names (later names are decoded as usual).
/// </summary>
internal static class NameTable
{
    public const int MaxNameBytes = 48;
    private const int Capacity = 4096;
    private const int Slots = Capacity * 2; // open addressing, at most half full

    private static readonly Entry?[] Table = new Entry?[Slots];
    private static readonly object Gate = new(); // not System.Threading.Lock: this assembly also targets net8.0 (the Lambda runtime)
    private static int _count;

    private sealed class Entry(byte[] utf8, string name, uint hash)
    {
        public readonly byte[] Utf8 = utf8;
        public readonly string Name = name;
        public readonly uint Hash = hash;
    }

    /// <summary>
    /// The shared string for <paramref name="utf8"/> (an unescaped name of at most <see cref="MaxNameBytes"/> bytes);
    /// <paramref name="shared"/> tells whether it is the table's (and
    /// interned), false only once the table is full: names past <see cref="Capacity"/> are neither kept nor interned, so
    /// a document of endless distinct names costs no memory after it is gone.
    /// </summary>
    public static string Get(ReadOnlySpan<byte> utf8, out bool shared)
    {
        shared = true;
        var hash = Hash(utf8);
        var slot = (int)(hash & (Slots - 1));
        while (true)
        {
            var entry = Volatile.Read(ref Table[slot]);
            if (entry is null)
            {
                return Add(utf8, hash, out shared);
            }
            if (entry.Hash == hash && utf8.SequenceEqual(entry.Utf8))
            {
                return entry.Name;
            }
            slot = (slot + 1) & (Slots - 1);
        }
    }

    private static string Add(ReadOnlySpan<byte> utf8, uint hash, out bool shared)
    {
        var name = Encoding.UTF8.GetString(utf8);
        lock (Gate)
        {
            if (_count >= Capacity)
            {
                shared = false;
                return name;
            }
            shared = true;
            // Interned: a parsed name is then the very string of the same literal in code, so member lookups by a
            // literal name succeed on the first, reference, comparison.
            name = string.Intern(name);
            var slot = (int)(hash & (Slots - 1));
            while (Table[slot] is { } existing)
            {
                if (existing.Hash == hash && utf8.SequenceEqual(existing.Utf8))
                {
                    return existing.Name; // another thread added it meanwhile
                }
                slot = (slot + 1) & (Slots - 1);
            }
            Volatile.Write(ref Table[slot], new Entry(utf8.ToArray(), name, hash));
            _count++;
            return name;
        }
    }

    // Eight bytes at a time (names are short, and read for every member of every object parsed), each word mixed in
    // by a multiplication, then the bits folded down so that the low ones the table uses depend on all of them
    // (the finalizer of SplitMix64, https://prng.di.unimi.it/splitmix64.c). The length is mixed in first, so that
    // names that differ only by trailing zero bytes differ.
    private static uint Hash(ReadOnlySpan<byte> utf8)
    {
        var hash = (ulong)utf8.Length * 0x9E3779B97F4A7C15UL;
        while (utf8.Length >= sizeof(ulong))
        {
            hash = (hash ^ System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(utf8)) * 0xBF58476D1CE4E5B9UL;
            utf8 = utf8[sizeof(ulong)..];
        }
        if (!utf8.IsEmpty)
        {
            var tail = 0UL;
            for (var i = 0; i < utf8.Length; i++)
            {
                tail |= (ulong)utf8[i] << (8 * i);
            }
            hash = (hash ^ tail) * 0xBF58476D1CE4E5B9UL;
        }
        hash ^= hash >> 31;
        hash *= 0x94D049BB133111EBUL;
        hash ^= hash >> 29;
        return (uint)hash;
    }
}
