using System.Collections.Concurrent;

namespace OrderFlow.Local.Functions;

/// <summary>
/// The .NET handlers a manifest can name (<c>"handler": "seed.order-json"</c>). Assemblies that ship functions add
/// theirs; the embedded services look them up when they load the manifest's functions.
/// </summary>
public static class FunctionCatalog
{
    private static readonly ConcurrentDictionary<string, Func<LambdaHandler>> Handlers = new(StringComparer.Ordinal)
    {
        ["seed.order-json"] = () => Seed.OrderJsonFunction.Handle,
    };

    public static void Add(string id, Func<LambdaHandler> factory) => Handlers[id] = factory;

    public static bool TryCreate(string id, out LambdaHandler handler)
    {
        if (Handlers.TryGetValue(id, out var factory))
        {
            handler = factory();
            return true;
        }
        handler = null!;
        return false;
    }

    public static IEnumerable<string> Ids => Handlers.Keys.Order(StringComparer.Ordinal);
}
