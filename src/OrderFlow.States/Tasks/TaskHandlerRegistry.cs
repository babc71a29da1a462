using OrderFlow.States.Execution;
using OrderFlow.Json;

namespace OrderFlow.States.Tasks;

/// <summary>What a Task state asks its handler to do.</summary>
/// <param name="Resource">The state's Resource ARN, as written.</param>
/// <param name="Parameters">The effective input: the state input after InputPath and Parameters.</param>
/// <param name="StateName">The Task state's name.</param>
/// <param name="ExecutionArn">The running execution.</param>
/// <param name="Region">Region of the execution, for handlers that resolve partial ARNs.</param>
/// <param name="AccountId">Account of the execution.</param>
public sealed record TaskInvocation(string Resource, JsonValue Parameters, string StateName, string ExecutionArn, string Region, string AccountId);

/// <summary>
/// Runs the work of a Task state. The result is an <see cref="Evaluated"/>: the task result, or an error name and
/// cause (for a Lambda function, its error type and Lambda's JSON cause) that Retry and Catch then see.
/// </summary>
public interface ITaskHandler
{
    ValueTask<Evaluated> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken);
}

/// <summary>Handlers for Task states, chosen by Resource ARN: an exact match first, then the longest registered prefix.</summary>
public sealed class TaskHandlerRegistry
{
    private static readonly string[] IntegrationPatterns = [".sync:2", ".sync", ".waitForTaskToken"];

    private readonly Dictionary<string, ITaskHandler> _exact = new(StringComparer.Ordinal);
    private readonly List<(string Prefix, ITaskHandler Handler)> _prefixes = [];

    public TaskHandlerRegistry Register(string resourceArn, ITaskHandler handler)
    {
        _exact[resourceArn] = handler;
        return this;
    }

    public TaskHandlerRegistry Register(string resourceArn, Func<TaskInvocation, CancellationToken, ValueTask<Evaluated>> handler) =>
        Register(resourceArn, new DelegateTaskHandler(handler));

    /// <summary>Handles every resource starting with <paramref name="prefix"/>, e.g. <c>arn:aws:lambda:</c>.</summary>
    public TaskHandlerRegistry RegisterPrefix(string prefix, ITaskHandler handler)
    {
        _prefixes.Add((prefix, handler));
        _prefixes.Sort((a, b) => b.Prefix.Length.CompareTo(a.Prefix.Length));
        return this;
    }

    public bool TryResolve(string resource, out ITaskHandler handler)
    {
        if (_exact.TryGetValue(resource, out handler!))
        {
            return true;
        }
        foreach (var suffix in IntegrationPatterns)
        {
            if (resource.EndsWith(suffix, StringComparison.Ordinal) && _exact.TryGetValue(resource[..^suffix.Length], out handler!))
            {
                return true;
            }
        }
        foreach (var (prefix, candidate) in _prefixes)
        {
            if (resource.StartsWith(prefix, StringComparison.Ordinal))
            {
                handler = candidate;
                return true;
            }
        }
        handler = null!;
        return false;
    }

    private sealed class DelegateTaskHandler(Func<TaskInvocation, CancellationToken, ValueTask<Evaluated>> handler) : ITaskHandler
    {
        public ValueTask<Evaluated> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken) => handler(invocation, cancellationToken);
    }
}

/// <summary>Splits a Resource ARN into the resourceType and resource that history events report.</summary>
public static class ResourceNames
{
    public static (string ResourceType, string Resource) Split(string arn)
    {
        const string integration = "arn:aws:states:::";
        if (arn.StartsWith(integration, StringComparison.Ordinal))
        {
            var rest = arn[integration.Length..];
            var cut = rest.LastIndexOf(':');
            return cut < 0 ? (rest, rest) : (rest[..cut], rest[(cut + 1)..]);
        }
        var parts = arn.Split(':');
        return (parts.Length > 2 ? parts[2] : arn, arn);
    }
}
