using OrderFlow.Local.Storage;

namespace OrderFlow.Local.Buckets;

public sealed partial class LocalBuckets
{
    // Each round reads this much of each of a group's eight parts.
    private const int LaneChunk = 1 << 20;

    /// <summary>
    /// The upload's leading groups of eight whole parts, hashed eight at a time (<see cref="Md5Lanes"/>, 3–3.5 times
    /// libcrypto's MD5 on one core here: about 2.3 against 0.7 GB/s) and written in place. A round reads a 1 MiB chunk of
    /// each part of the group (the content is seekable), hashes the eight chunks in the eight lanes, and writes them at
    /// their places while the next round is read into the other buffer. The parts after the last whole group, and the
    /// whole upload where AVX2 is missing or the parts are larger than 8 MiB (objects over 80 GB), go part by part. Returns the
    /// bytes written; the content is left after them and <paramref name="digests"/> has their parts' MD5s in order. Its two
    /// buffers go to <paramref name="spare"/> for the parts after the groups.
    /// </summary>
    private static async Task<long> UploadLaneGroupsAsync(Stream content, DirectFileWriter file, int partSize, List<byte[]> digests,
        Stack<AlignedBuffer> spare, CancellationToken cancellationToken)
    {
        var start = content.Position;
        var groupBytes = (long)partSize * Md5Lanes.Lanes;
        var groups = (content.Length - start) / groupBytes;
        if (!Md5Lanes.IsSupported || partSize != Md5Lanes.Lanes * LaneChunk || groups == 0)
        {
            return 0;
        }
        AlignedBuffer[] buffers = [new(Md5Lanes.Lanes * LaneChunk), new(Md5Lanes.Lanes * LaneChunk)];
        var writes = new List<Task>[] { [], [] };
        try
        {
            var round = 0;
            var digest = new byte[Md5Lanes.Lanes * 16];
            for (var group = 0L; group < groups; group++)
            {
                var lanes = new Md5Lanes();
                for (var chunk = 0; chunk < partSize / LaneChunk; chunk++, round++)
                {
                    var buffer = buffers[round % 2];
                    await Task.WhenAll(writes[round % 2]); // the buffer's last writes are done with it
                    writes[round % 2].Clear();
                    for (var lane = 0; lane < Md5Lanes.Lanes; lane++)
                    {
                        // Where this chunk of the lane's part is in the object (and, after start, in the content).
                        var offset = (group * groupBytes) + ((long)lane * partSize) + ((long)chunk * LaneChunk);
                        var piece = buffer.Memory.Slice(lane * LaneChunk, LaneChunk);
                        content.Position = start + offset;
                        await content.ReadExactlyAsync(piece, cancellationToken);
                        writes[round % 2].Add(file.WriteAlignedAsync(piece, offset, cancellationToken).AsTask());
                    }
                    lanes.Update(buffer.Span, LaneChunk, LaneChunk);
                }
                lanes.Final(digest);
                digests.AddRange(digest.Chunk(16));
            }
        }
        finally
        {
            // Every write is over before the caller completes, or deletes, the file, even when this fails part-way.
            await Task.WhenAll(writes.SelectMany(w => w)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        await Task.WhenAll(writes.SelectMany(w => w)); // a write that failed fails the upload
        foreach (var buffer in buffers)
        {
            spare.Push(buffer); // as large as a part: Lanes × LaneChunk = partSize whenever groups are made
        }
        content.Position = start + (groups * groupBytes);
        return groups * groupBytes;
    }
}
