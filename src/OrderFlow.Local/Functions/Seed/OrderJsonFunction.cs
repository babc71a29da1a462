using System.Text;
using OrderFlow.Json;

namespace OrderFlow.Local.Functions.Seed;

/// <summary>
/// A .NET port of the reference design's validation function <c>order-json</c> (Python): it returns its event
/// unchanged when it has a <c>contact-info</c> key, and otherwise raises <c>ContactInfoNotFound</c>. (The original
/// also printed the event to its log; in process there is no log to print to.)
/// Kept as the seed has it, to run the seed's definition unchanged; OrderFlow's own validation is richer.
/// </summary>
public static class OrderJsonFunction
{
    public static Stream Handle(Stream input)
    {
        using var reader = new StreamReader(input, Encoding.UTF8);
        var text = reader.ReadToEnd();
        var evt = JsonValue.Parse(text);
        if (evt is JsonObject o && o.ContainsKey("contact-info"))
        {
            return new MemoryStream(Encoding.UTF8.GetBytes(text));
        }
        throw new ContactInfoNotFound("contact-info key is missing from the order");
    }
}

/// <summary>The seed function's error; its type name is the error Step Functions reports.</summary>
public sealed class ContactInfoNotFound(string message) : Exception(message);
