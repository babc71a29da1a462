using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OrderFlow.Local.Buckets;

/// <summary>
/// MD5 (RFC 1321, https://www.rfc-editor.org/rfc/rfc1321) of eight inputs of the same length at once, one input per
/// 32-bit lane of 256-bit vectors: MD5 is serial within an input, so one core hashes one input at a time however wide
/// its registers, but a multipart upload's parts are independent inputs of the same size. Lane <c>j</c>'s bytes are
/// read from <c>j</c> strides into the data given to <see cref="Update"/>, one 32-bit word of every lane per gather.
/// Lengths are whole 64-byte blocks (an upload's part size is), so the padding block is the same for every lane.
/// </summary>
internal sealed class Md5Lanes
{
    public const int Lanes = 8;

    private const int BlockBytes = 64;

    private Vector256<uint> _a = Vector256.Create(0x67452301u);
    private Vector256<uint> _b = Vector256.Create(0xefcdab89u);
    private Vector256<uint> _c = Vector256.Create(0x98badcfeu);
    private Vector256<uint> _d = Vector256.Create(0x10325476u);
    private long _length;

    /// <summary>Whether this machine has the gathers the lanes are loaded with (AVX2).</summary>
    public static bool IsSupported => Avx2.IsSupported;

    /// <summary>
    /// Hashes the next <paramref name="length"/> bytes of every lane (a multiple of 64): lane <c>j</c>'s are
    /// <c>data[j * stride .. j * stride + length)</c>.
    /// </summary>
    public unsafe void Update(ReadOnlySpan<byte> data, int stride, int length)
    {
        if (length % BlockBytes != 0 || stride % sizeof(uint) != 0 || length > stride || data.Length < ((Lanes - 1) * (long)stride) + length)
        {
            throw new ArgumentException("Each lane takes whole 64-byte blocks, one stride apart, within the data.");
        }
        var words = stride / sizeof(uint);
        var index = Vector256.Create(0, words, 2 * words, 3 * words, 4 * words, 5 * words, 6 * words, 7 * words);
        fixed (byte* start = data)
        {
            for (var offset = 0; offset < length; offset += BlockBytes)
            {
                Compress((uint*)(start + offset), index);
            }
        }
        _length += length;
    }

    /// <summary>Writes the eight digests, 16 bytes each, lane after lane, into <paramref name="digests"/>.</summary>
    public unsafe void Final(Span<byte> digests)
    {
        // The padding of an input of whole blocks: 0x80, zeros, then the length in bits, little-endian (RFC 1321 §3.1–3.2).
        var padding = stackalloc byte[BlockBytes];
        new Span<byte>(padding, BlockBytes).Clear();
        padding[0] = 0x80;
        BinaryPrimitives.WriteInt64LittleEndian(new Span<byte>(padding + 56, 8), _length * 8);
        Compress((uint*)padding, Vector256<int>.Zero); // every lane reads the same block
        for (var lane = 0; lane < Lanes; lane++)
        {
            var digest = digests.Slice(lane * 16, 16);
            BinaryPrimitives.WriteUInt32LittleEndian(digest, _a.GetElement(lane));
            BinaryPrimitives.WriteUInt32LittleEndian(digest[4..], _b.GetElement(lane));
            BinaryPrimitives.WriteUInt32LittleEndian(digest[8..], _c.GetElement(lane));
            BinaryPrimitives.WriteUInt32LittleEndian(digest[12..], _d.GetElement(lane));
        }
    }

    // One 64-byte block of every lane: the 64 steps of RFC 1321 §3.4, unrolled, on eight lanes at once. x86 is
    // little-endian, as MD5's words are.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from its first call, in a run's first second: not left to tier 0
    private unsafe void Compress(uint* block, Vector256<int> index)
    {
        var m0 = Avx2.GatherVector256(block + 0, index, 4);
        var m1 = Avx2.GatherVector256(block + 1, index, 4);
        var m2 = Avx2.GatherVector256(block + 2, index, 4);
        var m3 = Avx2.GatherVector256(block + 3, index, 4);
        var m4 = Avx2.GatherVector256(block + 4, index, 4);
        var m5 = Avx2.GatherVector256(block + 5, index, 4);
        var m6 = Avx2.GatherVector256(block + 6, index, 4);
        var m7 = Avx2.GatherVector256(block + 7, index, 4);
        var m8 = Avx2.GatherVector256(block + 8, index, 4);
        var m9 = Avx2.GatherVector256(block + 9, index, 4);
        var m10 = Avx2.GatherVector256(block + 10, index, 4);
        var m11 = Avx2.GatherVector256(block + 11, index, 4);
        var m12 = Avx2.GatherVector256(block + 12, index, 4);
        var m13 = Avx2.GatherVector256(block + 13, index, 4);
        var m14 = Avx2.GatherVector256(block + 14, index, 4);
        var m15 = Avx2.GatherVector256(block + 15, index, 4);
        var (a, b, c, d) = (_a, _b, _c, _d);
        a = b + Rotate(a + F(b, c, d) + m0 + Vector256.Create(0xd76aa478u), 7);
        d = a + Rotate(d + F(a, b, c) + m1 + Vector256.Create(0xe8c7b756u), 12);
        c = d + Rotate(c + F(d, a, b) + m2 + Vector256.Create(0x242070dbu), 17);
        b = c + Rotate(b + F(c, d, a) + m3 + Vector256.Create(0xc1bdceeeu), 22);
        a = b + Rotate(a + F(b, c, d) + m4 + Vector256.Create(0xf57c0fafu), 7);
        d = a + Rotate(d + F(a, b, c) + m5 + Vector256.Create(0x4787c62au), 12);
        c = d + Rotate(c + F(d, a, b) + m6 + Vector256.Create(0xa8304613u), 17);
        b = c + Rotate(b + F(c, d, a) + m7 + Vector256.Create(0xfd469501u), 22);
        a = b + Rotate(a + F(b, c, d) + m8 + Vector256.Create(0x698098d8u), 7);
        d = a + Rotate(d + F(a, b, c) + m9 + Vector256.Create(0x8b44f7afu), 12);
        c = d + Rotate(c + F(d, a, b) + m10 + Vector256.Create(0xffff5bb1u), 17);
        b = c + Rotate(b + F(c, d, a) + m11 + Vector256.Create(0x895cd7beu), 22);
        a = b + Rotate(a + F(b, c, d) + m12 + Vector256.Create(0x6b901122u), 7);
        d = a + Rotate(d + F(a, b, c) + m13 + Vector256.Create(0xfd987193u), 12);
        c = d + Rotate(c + F(d, a, b) + m14 + Vector256.Create(0xa679438eu), 17);
        b = c + Rotate(b + F(c, d, a) + m15 + Vector256.Create(0x49b40821u), 22);
        a = b + Rotate(a + G(b, c, d) + m1 + Vector256.Create(0xf61e2562u), 5);
        d = a + Rotate(d + G(a, b, c) + m6 + Vector256.Create(0xc040b340u), 9);
        c = d + Rotate(c + G(d, a, b) + m11 + Vector256.Create(0x265e5a51u), 14);
        b = c + Rotate(b + G(c, d, a) + m0 + Vector256.Create(0xe9b6c7aau), 20);
        a = b + Rotate(a + G(b, c, d) + m5 + Vector256.Create(0xd62f105du), 5);
        d = a + Rotate(d + G(a, b, c) + m10 + Vector256.Create(0x02441453u), 9);
        c = d + Rotate(c + G(d, a, b) + m15 + Vector256.Create(0xd8a1e681u), 14);
        b = c + Rotate(b + G(c, d, a) + m4 + Vector256.Create(0xe7d3fbc8u), 20);
        a = b + Rotate(a + G(b, c, d) + m9 + Vector256.Create(0x21e1cde6u), 5);
        d = a + Rotate(d + G(a, b, c) + m14 + Vector256.Create(0xc33707d6u), 9);
        c = d + Rotate(c + G(d, a, b) + m3 + Vector256.Create(0xf4d50d87u), 14);
        b = c + Rotate(b + G(c, d, a) + m8 + Vector256.Create(0x455a14edu), 20);
        a = b + Rotate(a + G(b, c, d) + m13 + Vector256.Create(0xa9e3e905u), 5);
        d = a + Rotate(d + G(a, b, c) + m2 + Vector256.Create(0xfcefa3f8u), 9);
        c = d + Rotate(c + G(d, a, b) + m7 + Vector256.Create(0x676f02d9u), 14);
        b = c + Rotate(b + G(c, d, a) + m12 + Vector256.Create(0x8d2a4c8au), 20);
        a = b + Rotate(a + H(b, c, d) + m5 + Vector256.Create(0xfffa3942u), 4);
        d = a + Rotate(d + H(a, b, c) + m8 + Vector256.Create(0x8771f681u), 11);
        c = d + Rotate(c + H(d, a, b) + m11 + Vector256.Create(0x6d9d6122u), 16);
        b = c + Rotate(b + H(c, d, a) + m14 + Vector256.Create(0xfde5380cu), 23);
        a = b + Rotate(a + H(b, c, d) + m1 + Vector256.Create(0xa4beea44u), 4);
        d = a + Rotate(d + H(a, b, c) + m4 + Vector256.Create(0x4bdecfa9u), 11);
        c = d + Rotate(c + H(d, a, b) + m7 + Vector256.Create(0xf6bb4b60u), 16);
        b = c + Rotate(b + H(c, d, a) + m10 + Vector256.Create(0xbebfbc70u), 23);
        a = b + Rotate(a + H(b, c, d) + m13 + Vector256.Create(0x289b7ec6u), 4);
        d = a + Rotate(d + H(a, b, c) + m0 + Vector256.Create(0xeaa127fau), 11);
        c = d + Rotate(c + H(d, a, b) + m3 + Vector256.Create(0xd4ef3085u), 16);
        b = c + Rotate(b + H(c, d, a) + m6 + Vector256.Create(0x04881d05u), 23);
        a = b + Rotate(a + H(b, c, d) + m9 + Vector256.Create(0xd9d4d039u), 4);
        d = a + Rotate(d + H(a, b, c) + m12 + Vector256.Create(0xe6db99e5u), 11);
        c = d + Rotate(c + H(d, a, b) + m15 + Vector256.Create(0x1fa27cf8u), 16);
        b = c + Rotate(b + H(c, d, a) + m2 + Vector256.Create(0xc4ac5665u), 23);
        a = b + Rotate(a + I(b, c, d) + m0 + Vector256.Create(0xf4292244u), 6);
        d = a + Rotate(d + I(a, b, c) + m7 + Vector256.Create(0x432aff97u), 10);
        c = d + Rotate(c + I(d, a, b) + m14 + Vector256.Create(0xab9423a7u), 15);
        b = c + Rotate(b + I(c, d, a) + m5 + Vector256.Create(0xfc93a039u), 21);
        a = b + Rotate(a + I(b, c, d) + m12 + Vector256.Create(0x655b59c3u), 6);
        d = a + Rotate(d + I(a, b, c) + m3 + Vector256.Create(0x8f0ccc92u), 10);
        c = d + Rotate(c + I(d, a, b) + m10 + Vector256.Create(0xffeff47du), 15);
        b = c + Rotate(b + I(c, d, a) + m1 + Vector256.Create(0x85845dd1u), 21);
        a = b + Rotate(a + I(b, c, d) + m8 + Vector256.Create(0x6fa87e4fu), 6);
        d = a + Rotate(d + I(a, b, c) + m15 + Vector256.Create(0xfe2ce6e0u), 10);
        c = d + Rotate(c + I(d, a, b) + m6 + Vector256.Create(0xa3014314u), 15);
        b = c + Rotate(b + I(c, d, a) + m13 + Vector256.Create(0x4e0811a1u), 21);
        a = b + Rotate(a + I(b, c, d) + m4 + Vector256.Create(0xf7537e82u), 6);
        d = a + Rotate(d + I(a, b, c) + m11 + Vector256.Create(0xbd3af235u), 10);
        c = d + Rotate(c + I(d, a, b) + m2 + Vector256.Create(0x2ad7d2bbu), 15);
        b = c + Rotate(b + I(c, d, a) + m9 + Vector256.Create(0xeb86d391u), 21);
        _a += a;
        _b += b;
        _c += c;
        _d += d;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> F(Vector256<uint> x, Vector256<uint> y, Vector256<uint> z) => Vector256.ConditionalSelect(x, y, z);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> G(Vector256<uint> x, Vector256<uint> y, Vector256<uint> z) => Vector256.ConditionalSelect(z, x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> H(Vector256<uint> x, Vector256<uint> y, Vector256<uint> z) => x ^ y ^ z;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> I(Vector256<uint> x, Vector256<uint> y, Vector256<uint> z) => y ^ (x | ~z);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Rotate(Vector256<uint> value, int bits) =>
        Vector256.ShiftLeft(value, bits) | Vector256.ShiftRightLogical(value, 32 - bits);
}
