using System.Security.Cryptography;
using OrderFlow.Events.S3;
using OrderFlow.Local.Storage;

namespace OrderFlow.Local.Buckets;

public sealed partial class LocalBuckets
{
    /// <summary>
    /// Content of this size or more is uploaded in parts by <see cref="UploadAsync"/>: the threshold of the AWS SDK's
    /// TransferUtility (MinSizeBeforePartUpload, 16 MiB), with which the AWS backend uploads.
    /// </summary>
    public const long MultipartThreshold = 16L * 1024 * 1024;

    // TransferUtility's part size in the SDK version OrderFlow uses (S3Constants.DefaultPartSize, 8 MiB; the AWS CLI's
    // too), and S3's largest number of parts (https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html).
    private const int PartSize = 8 * 1024 * 1024;
    private const int MaxParts = 10_000;

    private static readonly int MaxPartsInFlight = Math.Clamp(Environment.ProcessorCount, 2, 8);

    /// <summary>
    /// Uploads an object as a client's uploader does (the AWS SDK's TransferUtility, which the AWS backend uses): content
    /// of known length from <see cref="MultipartThreshold"/> up as a multipart upload of 8 MiB parts (larger when 10,000
    /// would not hold it), anything else with one PutObject. A multipart object's ETag is the one S3 gives it, the MD5 of
    /// the parts' MD5s, a hyphen and the number of parts
    /// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html), and its event's reason is
    /// CompleteMultipartUpload. The single MD5 of a PutObject is sequential, about 0.5 s of one core for a 310 MB order
    /// file while the other core waited, a third of <c>orderflow process</c>'s wait before its first order; so groups of
    /// eight whole parts are hashed together in vector lanes (<see cref="UploadLaneGroupsAsync"/>), and the parts after
    /// them each on a core of its own while the next ones are read and written (docs/performance.md). Atomic and
    /// durable when it returns.
    /// </summary>
    public async Task<ServiceResult<ObjectInfo>> UploadAsync(string bucket, string key, Stream content, string? contentType, CancellationToken cancellationToken)
    {
        if (!content.CanSeek || content.Length - content.Position < MultipartThreshold)
        {
            return await PutObjectAsync(bucket, key, content, contentType, S3CreateReason.PutObject, cancellationToken);
        }
        var target = NewBlob(bucket, key);
        if (target.Failed)
        {
            return target.Error!;
        }
        var (blob, temp) = target.Value;
        var source = new SourceStream(content);
        var partSize = (int)Math.Max(PartSize, (content.Length - content.Position + MaxParts - 1) / MaxParts);
        var digests = new List<byte[]>();
        var inFlight = new Queue<(AlignedBuffer Buffer, Task<byte[]> Digest)>();
        var spare = new Stack<AlignedBuffer>();
        long size = 0;
        try
        {
            // Parts start at multiples of the part size, so they can be written past the page cache when it is aligned.
            using (var file = DirectFileWriter.Create(temp, tryDirect: partSize % DirectFileWriter.Alignment == 0))
            {
                size = await UploadLaneGroupsAsync(source, file, partSize, digests, spare, cancellationToken);
                while (true)
                {
                    var buffer = spare.Count > 0 ? spare.Pop() : new AlignedBuffer(partSize);
                    var read = await source.ReadAtLeastAsync(buffer.Memory[..partSize], partSize, throwOnEndOfStream: false, cancellationToken);
                    if (read == 0)
                    {
                        break;
                    }
                    inFlight.Enqueue((buffer, Task.Run(() => MD5.HashData(buffer.Span[..read]), CancellationToken.None)));
                    await file.WriteAsync(buffer, read, size, cancellationToken);
                    size += read;
                    while (inFlight.Count >= MaxPartsInFlight)
                    {
                        digests.Add(await Settle(inFlight.Dequeue(), spare));
                    }
                    if (read < partSize)
                    {
                        break;
                    }
                }
                while (inFlight.Count > 0)
                {
                    digests.Add(await Settle(inFlight.Dequeue(), spare));
                }
                file.Complete(size);
            }
        }
        catch (Exception ex)
        {
            // No object and no temporary file; a part still being hashed finishes before the file goes.
            while (inFlight.Count > 0)
            {
                await ((Task)inFlight.Dequeue().Digest).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            if (!source.Failed && StorageFault.IsStorageFailure(ex))
            {
                DeleteQuietly(temp);
                return StorageFailed(ex);
            }
            File.Delete(temp);
            throw;
        }
        return await CommitAsync(bucket, key, blob, size, MultipartETag(digests), contentType,
            digests.Count == 0 ? S3CreateReason.PutObject : S3CreateReason.CompleteMultipartUpload, cancellationToken);
    }

    private static async Task<byte[]> Settle((AlignedBuffer Buffer, Task<byte[]> Digest) part, Stack<AlignedBuffer> spare)
    {
        var digest = await part.Digest;
        spare.Push(part.Buffer);
        return digest;
    }

    /// <summary>The ETag S3 gives a multipart upload of parts with these MD5s (an empty upload: the MD5 of nothing).</summary>
    internal static string MultipartETag(IReadOnlyList<byte[]> partDigests)
    {
        if (partDigests.Count == 0)
        {
            return Convert.ToHexStringLower(MD5.HashData(ReadOnlySpan<byte>.Empty));
        }
        var joined = new byte[partDigests.Count * MD5.HashSizeInBytes];
        for (var i = 0; i < partDigests.Count; i++)
        {
            partDigests[i].CopyTo(joined, i * MD5.HashSizeInBytes);
        }
        return $"{Convert.ToHexStringLower(MD5.HashData(joined))}-{partDigests.Count}";
    }
}
