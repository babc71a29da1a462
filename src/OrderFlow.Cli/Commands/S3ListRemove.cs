using System.CommandLine;
using System.Globalization;
using OrderFlow.Json;

namespace OrderFlow.Cli.Commands;

/// <summary>
/// <c>orderflow s3 ls</c> and <c>s3 rm</c>, as <c>aws s3</c> has them: what the embedded buckets hold, and removing it.
/// The inbox keeps a copy of every file processed, as a bucket on AWS does; these show how much and let it go.
/// </summary>
internal static class S3ListRemove
{
    public static Command CreateList()
    {
        var target = new Argument<string>("target") { Description = "s3://BUCKET or s3://BUCKET/PREFIX" };
        var dataDir = CliHost.DataDirOption();
        var ls = new Command("ls", "List the objects of a bucket (under a prefix): last modified, size, key; then their count and total size.") { target, dataDir };
        ls.SetAction(async (parse, ct) =>
        {
            if (!TryParse(parse.GetValue(target)!, keyRequired: false, out var bucket, out var prefix))
            {
                await Console.Error.WriteLineAsync($"The target must be s3://BUCKET or s3://BUCKET/PREFIX, not {parse.GetValue(target)}");
                return CliHost.Invalid;
            }
            await using var cloud = CliHost.OpenCloud(parse.GetValue(dataDir));
            var (count, bytes) = (0L, 0L);
            var listed = await ForEachObjectAsync(cloud, bucket, prefix, async entry =>
            {
                var size = (long)((JsonNumber)entry["Size"]!).Value;
                var modified = DateTime.Parse(((JsonString)entry["LastModified"]!).Value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
                await Console.Out.WriteLineAsync($"{modified:yyyy-MM-dd HH:mm:ss} {size,14:N0} {((JsonString)entry["Key"]!).Value}");
                (count, bytes) = (count + 1, bytes + size);
            }, ct);
            if (!listed)
            {
                return CliHost.Failed;
            }
            await Console.Out.WriteLineAsync($"{count} object(s), {bytes:N0} bytes");
            return CliHost.Ok;
        });
        return ls;
    }

    public static Command CreateRemove()
    {
        var target = new Argument<string>("target") { Description = "s3://BUCKET/KEY, or with --recursive s3://BUCKET or s3://BUCKET/PREFIX" };
        var recursive = new Option<bool>("--recursive") { Description = "Remove every object under the prefix (every object of the bucket without one)." };
        var dataDir = CliHost.DataDirOption();
        var rm = new Command("rm", "Remove an object from a bucket, or with --recursive every object under a prefix.") { target, recursive, dataDir };
        rm.SetAction(async (parse, ct) =>
        {
            var all = parse.GetValue(recursive);
            if (!TryParse(parse.GetValue(target)!, keyRequired: !all, out var bucket, out var key))
            {
                await Console.Error.WriteLineAsync($"The target must be {(all ? "s3://BUCKET or s3://BUCKET/PREFIX" : "s3://BUCKET/KEY")}, not {parse.GetValue(target)}");
                return CliHost.Invalid;
            }
            await using var cloud = CliHost.OpenCloud(parse.GetValue(dataDir));
            // Listed whole before anything is removed: the listing pages through keys that the removals would shift.
            var keys = new List<string>();
            if (!all)
            {
                keys.Add(key);
            }
            else if (!await ForEachObjectAsync(cloud, bucket, key, entry =>
            {
                keys.Add(((JsonString)entry["Key"]!).Value);
                return Task.CompletedTask;
            }, ct))
            {
                return CliHost.Failed;
            }
            foreach (var each in keys)
            {
                var deleted = await cloud.Buckets.DeleteObjectAsync(bucket, each, ct);
                if (deleted.Failed)
                {
                    await Console.Error.WriteLineAsync($"delete failed: s3://{bucket}/{each}: {deleted.Error!.Code}: {deleted.Error.Message}");
                    return CliHost.Failed;
                }
                await Console.Out.WriteLineAsync($"delete: s3://{bucket}/{each}");
            }
            return CliHost.Ok;
        });
        return rm;
    }

    // Every object under the prefix, page by page; false (the reason on stderr) when the bucket cannot be listed.
    private static async Task<bool> ForEachObjectAsync(OrderFlow.Local.LocalCloud cloud, string bucket, string prefix, Func<JsonObject, Task> each, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var entry in cloud.ObjectStore.ListAsync(bucket, prefix, cancellationToken))
            {
                await each(entry);
            }
            return true;
        }
        catch (OrderFlow.States.Distributed.ItemReaderException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return false;
        }
    }

    /// <summary>Splits <c>s3://BUCKET/KEY</c>; the key may be empty unless <paramref name="keyRequired"/>.</summary>
    internal static bool TryParse(string url, bool keyRequired, out string bucket, out string key)
    {
        (bucket, key) = (string.Empty, string.Empty);
        if (!url.StartsWith("s3://", StringComparison.Ordinal))
        {
            return false;
        }
        var slash = url.IndexOf('/', 5);
        bucket = slash < 0 ? url[5..] : url[5..slash];
        key = slash < 0 ? string.Empty : url[(slash + 1)..];
        return bucket.Length > 0 && (!keyRequired || key.Length > 0);
    }
}
