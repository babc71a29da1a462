using OrderFlow.Json;
using OrderFlow.Local.Manifest;
using OrderFlow.Local.Storage;
using OrderFlow.States.Distributed;

namespace OrderFlow.Local.Integrations;

/// <summary>
/// One AWS service's API as the service integrations call it: an operation name (<c>PutItem</c>) and its request in
/// the service's JSON shape, answered with the response or a <see cref="ServiceError"/> named as the service names it.
/// The embedded services implement it, and so do the AWS SDK backends: Retry and Catch see the same errors on both.
/// </summary>
public interface IServiceApi
{
    Task<ServiceResult<JsonObject>> ExecuteAsync(string operation, JsonObject request, CancellationToken cancellationToken);
}

/// <summary>
/// Storage services that live outside the data directory (AWS, or an AWS-compatible endpoint) and stand in for the
/// embedded bucket, tables and queues. Functions, state machines and the event bus stay in process.
/// </summary>
public interface IRemoteServices : IAsyncDisposable
{
    /// <summary>Where the services are, for messages: <c>AWS (us-east-1)</c>, <c>http://127.0.0.1:4566</c>.</summary>
    string Description { get; }

    IServiceApi Tables { get; }

    IServiceApi Queues { get; }

    IServiceApi Buckets { get; }

    /// <summary>The buckets as Distributed Map item source and result target; its writes publish S3's "Object Created" event.</summary>
    IObjectStore ObjectStore { get; }

    /// <summary>Creates the manifest's buckets, tables and queues where they do not exist yet (idempotent).</summary>
    Task<IReadOnlyList<string>> CreateResourcesAsync(ResourceManifest manifest, CancellationToken cancellationToken);
}

/// <summary>Creates the remote services, given how to publish the events their bucket writes cause.</summary>
public delegate IRemoteServices RemoteServicesFactory(Func<JsonObject, CancellationToken, Task> publish);
