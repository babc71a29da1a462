#pragma warning disable CA5351 // S3's ETags are MD5s: nothing here is for security
using System.Security.Cryptography;
using OrderFlow.Local.Buckets;

namespace OrderFlow.Local.Tests;

/// <summary>Eight MD5s at once, one per vector lane: each lane's digest is .NET's MD5 of that lane's bytes.</summary>
public class Md5LanesTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(64, 1)]
    [InlineData(128, 2)]
    [InlineData(64 * 37, 1)]
    [InlineData(64 * 37, 37)]
    [InlineData(1 << 20, 4)]
    public void Final_EachLane_SameAsMd5OfItsBytes(int length, int updates)
    {
        if (!Md5Lanes.IsSupported)
        {
            return; // no AVX2 here: the upload hashes its parts one by one
        }
        var random = new Random(length + updates);
        var inputs = Enumerable.Range(0, Md5Lanes.Lanes).Select(_ => RandomBytes(random, length)).ToArray();
        var lanes = new Md5Lanes();
        // Fed in pieces, each piece of every lane laid one stride apart, as the upload lays out its parts' chunks.
        var piece = length / updates;
        var stride = piece + 64;
        var data = new byte[Md5Lanes.Lanes * stride];
        for (var offset = 0; offset < length; offset += piece)
        {
            for (var lane = 0; lane < Md5Lanes.Lanes; lane++)
            {
                inputs[lane].AsSpan(offset, piece).CopyTo(data.AsSpan(lane * stride));
            }
            lanes.Update(data, stride, piece);
        }
        var digests = new byte[Md5Lanes.Lanes * 16];
        lanes.Final(digests);
        for (var lane = 0; lane < Md5Lanes.Lanes; lane++)
        {
            Assert.Equal(Convert.ToHexString(MD5.HashData(inputs[lane])), Convert.ToHexString(digests, lane * 16, 16));
        }
    }

    [Fact]
    public void Update_PartialBlock_Refused()
    {
        if (!Md5Lanes.IsSupported)
        {
            return; // no AVX2 here: the upload hashes its parts one by one
        }
        Assert.Throws<ArgumentException>(() => new Md5Lanes().Update(new byte[8 * 128], 128, 100));
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
