using OrderFlow.Local;
using OrderFlow.Local.Manifest;

namespace OrderFlow.Cli.Commands;

/// <summary>Creates the order pipeline's resources in a data directory on first use, from the definitions shipped inside the command.</summary>
internal static class PipelineSetup
{
    public const string StateMachine = "order-pipeline";
    public const string InboxBucket = "orderflow-inbox";
    public const string ResultsBucket = "orderflow-results";
    public const string OrdersTable = "orders";
    public const string RejectedQueue = "orders-rejected";

    /// <summary>Writes the shipped definitions to <c>DATA/definitions</c> and runs init when the pipeline is not there yet.</summary>
    public static async Task EnsureAsync(LocalCloud cloud, CancellationToken cancellationToken)
    {
        // Remote buckets, tables and queues may have gone (an emulator restarted): with them, init always runs; it is idempotent.
        if (!cloud.IsRemote && !cloud.StateMachines.Get(StateMachine).Failed && cloud.Bus.Rules.Count > 0)
        {
            return;
        }
        await cloud.InitAsync(ResourceManifest.Load(await WriteShippedDefinitionsAsync(cloud, cancellationToken)), cancellationToken);
    }

    /// <summary>Writes the definitions shipped inside the command to <c>DATA/definitions</c>; the path of their manifest.</summary>
    public static async Task<string> WriteShippedDefinitionsAsync(LocalCloud cloud, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(cloud.DataDirectory, "definitions");
        Directory.CreateDirectory(folder);
        var assembly = typeof(PipelineSetup).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("definitions/", StringComparison.Ordinal)))
        {
            // Written beside, then moved into place: two commands setting up the same data directory at once (two
            // `process` runs started together) each replace the file whole, and neither reads a half-written one.
            var target = Path.Combine(folder, name["definitions/".Length..]);
            var temp = $"{target}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
            await using (var resource = assembly.GetManifestResourceStream(name)!)
            await using (var file = File.Create(temp))
            {
                await resource.CopyToAsync(file, cancellationToken);
            }
            File.Move(temp, target, overwrite: true);
        }
        return Path.Combine(folder, "manifest.json");
    }
}
