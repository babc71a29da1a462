using OrderFlow.Json;

namespace OrderFlow.States.Intrinsics;

/// <summary>One intrinsic function: its name, how many arguments it takes, and its body.</summary>
internal sealed record IntrinsicFunction(
    string Name,
    int MinArgs,
    int MaxArgs,
    Func<IntrinsicInvocation, JsonValue> Body,
    Func<IReadOnlyList<IntrinsicExpression>, string?>? CheckLiterals = null)
{
    public JsonValue Invoke(in IntrinsicInvocation invocation) => Body(invocation);

    public string? CheckArity(int count)
    {
        if (count >= MinArgs && count <= MaxArgs)
        {
            return null;
        }
        var expected = MinArgs == MaxArgs ? $"{MinArgs}" : MaxArgs == int.MaxValue ? $"at least {MinArgs}" : $"{MinArgs} to {MaxArgs}";
        return $"{Name} takes {expected} argument(s), not {count}";
    }
}

/// <summary>Typed access to evaluated arguments; a wrong type becomes States.IntrinsicFailure.</summary>
internal static class Args
{
    public static string String(in IntrinsicInvocation inv, int i) =>
        inv.Args[i] is JsonString s ? s.Value : throw Wrong(inv, i, "a string");

    public static JsonArray Array(in IntrinsicInvocation inv, int i) =>
        inv.Args[i] as JsonArray ?? throw Wrong(inv, i, "an array");

    public static JsonObject Object(in IntrinsicInvocation inv, int i) =>
        inv.Args[i] as JsonObject ?? throw Wrong(inv, i, "an object");

    public static bool Boolean(in IntrinsicInvocation inv, int i) =>
        inv.Args[i] is JsonBoolean b ? b.Value : throw Wrong(inv, i, "a boolean");

    public static long Integer(in IntrinsicInvocation inv, int i)
    {
        if (inv.Args[i] is JsonNumber n && n.TryGetInt64(out var v))
        {
            return v;
        }
        throw Wrong(inv, i, "an integer");
    }

    public static IntrinsicFailureException Wrong(in IntrinsicInvocation inv, int i, string expected) =>
        new($"argument {i + 1} must be {expected}, but was {Describe(inv.Args[i])}");

    private static string Describe(JsonValue value)
    {
        var json = value.ToJsonString();
        return $"{value.KindName} {(json.Length > 80 ? json[..80] + "..." : json)}";
    }
}
