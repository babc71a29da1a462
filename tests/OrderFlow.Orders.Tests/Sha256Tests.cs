using System.Runtime.InteropServices;
using System.Security.Cryptography;
using OrderFlow.Orders;

namespace OrderFlow.Orders.Tests;

public class Sha256Tests
{
    public static TheoryData<int> Lengths => [0, 1, 55, 56, 63, 64, 65, 300, 4095, 4096, 4097, 70_000];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Hash_AnyLength_SameDigestAsDotNet(int length)
    {
        var random = new Random(length);
        for (var round = 0; round < 20; round++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            var digest = new byte[32];

            Sha256.Hash(data, digest);

            Assert.Equal(SHA256.HashData(data), digest);
        }
    }

    [Fact]
    public void Hash_KnownAnswer_Fips180Abc()
    {
        var digest = new byte[32];

        Sha256.Hash("abc"u8, digest);

        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Convert.ToHexStringLower(digest));
    }

    [Fact]
    public void Hash_DigestShorterThan32Bytes_Throws()
    {
        Assert.Throws<ArgumentException>(() => Sha256.Hash("abc"u8, new byte[31]));
    }

    [Fact]
    public void IsNative_LinuxWithLibcrypto_UsesTheLibrary()
    {
        // Where .NET itself hashes through OpenSSL 3, so must we: a silent fall-back would cost every order a microsecond.
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libcrypto.so.3", out _))
        {
            return;
        }

        Assert.True(Sha256.IsNative);
    }

    [Fact]
    public async Task Hash_ManyThreadsAtOnce_EachGetsItsOwnDigest()
    {
        var inputs = Enumerable.Range(0, 64).Select(i => Enumerable.Repeat((byte)i, 100 + i).ToArray()).ToArray();

        var digests = await Task.WhenAll(inputs.Select(input => Task.Run(() =>
        {
            var digest = new byte[32];
            for (var round = 0; round < 200; round++)
            {
                Sha256.Hash(input, digest);
            }
            return digest;
        })));

        Assert.Equal(inputs.Select(SHA256.HashData), digests);
    }
}
