using OrderFlow.Json;

namespace OrderFlow.Orders.Validation;

/// <summary>One reason an order is rejected, at a JSON path of the order (e.g. <c>$.order-info.qty</c>).</summary>
public sealed record Violation(string Path, string Message)
{
    public JsonObject ToJson() => new JsonObjectBuilder(2).Set("path", Path).Set("message", Message).Build();

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
