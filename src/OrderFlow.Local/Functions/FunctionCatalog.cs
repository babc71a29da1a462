using System.Collections.Concurrent;

namespace OrderFlow.Local.Functions;

/// <summary>
/// The .NET handlers a manifest can name (<c>"handler": "seed.order-json"</c>). Assemblies that ship functions add
/// theirs; the embedded services look them up when they load the manifest's functions. A handler may come with the same
/// body on parsed JSON (<see cref="JsonLambdaHandler"/>), which in-process invocations then use.
/// </summary>
public static class FunctionCatalog
{
    private sealed record Entry(Func<LambdaHandler> Factory, JsonLambdaHandler? Json);

    private static readonly ConcurrentDictionary<string, Entry> Handlers = new(StringComparer.Ordinal)
    {
        ["seed.order-json"] = new(() => Seed.OrderJsonFunction.Handle, null),
    };

    public static void Add(string id, Func<LambdaHandler> factory, JsonLambdaHandler? json = null) => Handlers[id] = new Entry(factory, json);

    public static bool TryCreate(string id, out LambdaHandler handler) => TryCreate(id, out handler, out _);

    public static bool TryCreate(string id, out LambdaHandler handler, out JsonLambdaHandler? json)
    {
        if (Handlers.TryGetValue(id, out var entry))
        {
            handler = entry.Factory();
            json = entry.Json;
            return true;
        }
        handler = null!;
        json = null;
        return false;
    }

    public static IEnumerable<string> Ids => Handlers.Keys.Order(StringComparer.Ordinal);
}
