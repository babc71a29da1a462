using OrderFlow.Json;

namespace OrderFlow.Orders.Validation;

/// <summary>One reason an order is rejected, at a JSON path of the order (e.g. <c>$.order-info.qty</c>).</summary>
public sealed record Violation(string Path, string Message)
{
    // Built once: the violations of a way of failing are shared by every order that fails that way, and each of those
    // orders' rejection sizes and writes this object (a message with quotes is measured character by character).
    private JsonObject? _json;

    /// <summary><c>{"path": …, "message": …}</c>, the same immutable object every time.</summary>
    public JsonObject ToJson() => _json ??= new JsonObjectBuilder(2).Set("path", Path).Set("message", Message).Build();

    // A copy made with `with` builds its own object: its path or message may differ.
    private Violation(Violation original) => (Path, Message) = (original.Path, original.Message);

    // Equal by path and message alone (the built object is a cache, not part of the value).
    public bool Equals(Violation? other) => other is not null && Path == other.Path && Message == other.Message;

    public override int GetHashCode() => HashCode.Combine(Path, Message);

    public override string ToString() => $"{Path}: {Message}";

    /// <summary><c>/order-info/qty</c> → <c>$.order-info.qty</c>; array indexes as <c>[n]</c>.</summary>
    public static string PathFromPointer(string pointer)
    {
        if (string.IsNullOrEmpty(pointer) || pointer == "/")
        {
            return "$";
        }
        var path = "$";
        foreach (var part in pointer.TrimStart('/').Split('/'))
        {
            var name = part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            path += int.TryParse(name, out var index) ? $"[{index}]" : $".{name}";
        }
        return path;
    }
}
