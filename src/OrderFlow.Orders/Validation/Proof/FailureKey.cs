using System.Globalization;
using System.Text;
using OrderFlow.Json;

namespace OrderFlow.Orders.Validation.Proof;

/// <summary>
/// The shape of an order's schema failures, as a string: every failing check (by its place in the compiled schema) at
/// every failing instance location, with what its message may quote of the instance (its JSON type, a number's literal,
/// an array's length, the required names that are missing). Two orders with the same key get the same violations from
/// JsonSchema.Net, because its messages are made of exactly these things; <see cref="OrderValidator"/> words a key once
/// and reuses the words. A failure the proof cannot pin down makes the key <see cref="Usable"/> false.
/// </summary>
internal sealed class FailureKey(Func<string, bool>? wordsWhole = null)
{
    private readonly StringBuilder _text = new(128);

    /// <summary>Whether a failure of the schema at <paramref name="pointer"/> is worded as a whole (so what failed inside it is not part of the key).</summary>
    public bool WordsWhole(string pointer) => wordsWhole?.Invoke(pointer) ?? false;

    /// <summary>A failing schema worded as a whole: only where it failed matters.</summary>
    public void Whole(string location, ProofCheck schema) => Open(location, schema).Append(';');

    /// <summary>False when some part of the failure is unknown to the proof: the order must be worded by JsonSchema.Net.</summary>
    public bool Usable { get; private set; } = true;

    public void GiveUp() => Usable = false;

    /// <summary>A failing check that quotes nothing of the instance but its type (and a number's literal, an array's length).</summary>
    public void Leaf(string location, ProofCheck check, JsonValue instance)
    {
        Open(location, check);
        switch (instance)
        {
            case JsonNumber n:
                _text.Append('n').Append(n.Literal);
                break;
            case JsonArray a:
                _text.Append('a').Append(a.Count.ToString(CultureInfo.InvariantCulture));
                break;
            default:
                _text.Append((char)('A' + (int)instance.Kind));
                break;
        }
        _text.Append(';');
    }

    /// <summary>A failing <c>required</c>: the names that are missing.</summary>
    public void Missing(string location, ProofCheck check, IEnumerable<string> names)
    {
        Open(location, check);
        foreach (var name in names)
        {
            _text.Append(name.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(name);
        }
        _text.Append(';');
    }

    /// <summary>A combinator whose branches follow, each with its verdict.</summary>
    public void Branch(string location, ProofCheck check, int index, Verdict verdict) =>
        Open(location, check).Append(index.ToString(CultureInfo.InvariantCulture)).Append((char)('0' + (int)verdict)).Append(';');

    private StringBuilder Open(string location, ProofCheck check) =>
        _text.Append(location.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(location).Append('#')
            .Append(check.Id.ToString(CultureInfo.InvariantCulture)).Append('=');

    public override string ToString() => _text.ToString();

    /// <summary>A child location: <c>/order-info/qty</c>, <c>/order-info/items/0</c>.</summary>
    public static string Child(string location, string name) => $"{location}/{name}";
}
