using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace OrderFlow.Orders;

/// <summary>
/// SHA-256 of short inputs, once or twice per order. Where the process can load OpenSSL's libcrypto (Linux, where .NET
/// itself hashes through it), its low-level <c>SHA256_Init</c>/<c>_Update</c>/<c>_Final</c> are called directly: an
/// order's 300 bytes hash in about a third of the time <see cref="IncrementalHash"/> takes, because .NET goes through
/// OpenSSL's EVP digest calls, which clear the thread's error queue and reach the algorithm through its provider on
/// every call (docs/performance.md). The digest is SHA-256 either way; anywhere the library cannot be loaded, or where
/// it does not give .NET's digests on a self-test, .NET's implementation is used.
/// </summary>
internal static unsafe class Sha256
{
    public const int DigestBytes = 32;

    // sizeof(SHA256_CTX) is 112 bytes in OpenSSL 1.1 and 3.x (https://github.com/openssl/openssl/blob/master/include/openssl/sha.h);
    // the context lives on the caller's stack, with room to spare.
    private const int ContextBytes = 256;

    // Inputs up to this size are hashed without leaving cooperative GC mode (a microsecond at most); larger ones take
    // the ordinary transition, so a long hash never holds up a garbage collection.
    private const int ShortInput = 4096;

    private static readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, int> Init;
    private static readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, byte*, nuint, int> UpdateShort;
    private static readonly delegate* unmanaged[Cdecl]<byte*, byte*, nuint, int> UpdateLong;
    private static readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, byte*, int> Final;

    [ThreadStatic]
    private static IncrementalHash? _managed;

    static Sha256()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        foreach (var name in (string[])["libcrypto.so.3", "libcrypto.so.1.1"])
        {
            if (NativeLibrary.TryLoad(name, out var library)
                && NativeLibrary.TryGetExport(library, "SHA256_Init", out var init)
                && NativeLibrary.TryGetExport(library, "SHA256_Update", out var update)
                && NativeLibrary.TryGetExport(library, "SHA256_Final", out var final))
            {
                Init = (delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, int>)init;
                UpdateShort = (delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, byte*, nuint, int>)update;
                UpdateLong = (delegate* unmanaged[Cdecl]<byte*, byte*, nuint, int>)update;
                Final = (delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, byte*, int>)final;
                if (!AgreesWithDotNet())
                {
                    Init = null;
                }
                return;
            }
        }
    }

    /// <summary>Whether libcrypto's low-level functions are in use (false: .NET's implementation).</summary>
    public static bool IsNative => Init != null;

    /// <summary>Writes the SHA-256 of <paramref name="data"/> into the first 32 bytes of <paramref name="digest"/>.</summary>
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> digest)
    {
        if (digest.Length < DigestBytes)
        {
            throw new ArgumentException("A SHA-256 digest needs 32 bytes.", nameof(digest));
        }
        if (Init == null || !TryHashNative(data, digest))
        {
            var managed = _managed ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            managed.AppendData(data);
            managed.GetHashAndReset(digest);
        }
    }

    private static bool TryHashNative(ReadOnlySpan<byte> data, Span<byte> digest)
    {
        var context = stackalloc byte[ContextBytes];
        fixed (byte* input = data)
        fixed (byte* output = digest)
        {
            if (Init(context) != 1)
            {
                return false;
            }
            var updated = data.Length <= ShortInput ? UpdateShort(context, input, (nuint)data.Length) : UpdateLong(context, input, (nuint)data.Length);
            return (Final(output, context) == 1) & (updated == 1);
        }
    }

    // The library must give exactly .NET's digests (content hashes are stored): lengths around the 64-byte block and its
    // padding boundary, and a long input.
    private static bool AgreesWithDotNet()
    {
        var random = new Random(20261202);
        Span<byte> native = stackalloc byte[DigestBytes];
        Span<byte> expected = stackalloc byte[DigestBytes];
        foreach (var length in (int[])[0, 1, 3, 55, 56, 63, 64, 65, 119, 120, 127, 128, 300, 1000, ShortInput + 1])
        {
            var data = new byte[length];
            random.NextBytes(data);
            SHA256.HashData(data, expected);
            if (!TryHashNative(data, native) || !native.SequenceEqual(expected))
            {
                return false;
            }
        }
        return true;
    }
}
