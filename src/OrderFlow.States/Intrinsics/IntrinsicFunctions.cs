using System.Security.Cryptography;
using System.Text;
using OrderFlow.Json;

namespace OrderFlow.States.Intrinsics;

/// <summary>
/// The 18 intrinsic functions of Step Functions, with their documented limits
/// (https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html).
/// </summary>
internal static partial class IntrinsicFunctions
{
    private const int MaxStringLength = 10_000;
    private const int MaxArrayRangeLength = 1_000;

    private static readonly Dictionary<string, IntrinsicFunction> Functions = new IntrinsicFunction[]
    {
        new("States.Format", 1, int.MaxValue, Format, CheckFormatLiterals),
        new("States.StringToJson", 1, 1, StringToJson),
        new("States.JsonToString", 1, 1, inv => new JsonString(inv.Args[0].ToJsonString())),
        new("States.Array", 0, int.MaxValue, inv => new JsonArray((JsonValue[])inv.Args.Clone())),
        new("States.ArrayPartition", 2, 2, ArrayPartition),
        new("States.ArrayContains", 2, 2, inv => JsonValue.FromBoolean(Args.Array(inv, 0).Contains(inv.Args[1]))),
        new("States.ArrayRange", 3, 3, ArrayRange),
        new("States.ArrayGetItem", 2, 2, ArrayGetItem),
        new("States.ArrayLength", 1, 1, inv => JsonNumber.FromInt64(Args.Array(inv, 0).Count)),
        new("States.ArrayUnique", 1, 1, inv => new JsonArray(Args.Array(inv, 0).Distinct().ToArray())),
        new("States.Base64Encode", 1, 1, Base64Encode),
        new("States.Base64Decode", 1, 1, Base64Decode),
        new("States.Hash", 2, 2, Hash, CheckHashLiterals),
        new("States.JsonMerge", 3, 3, JsonMerge),
        new("States.MathRandom", 2, 3, MathRandom),
        new("States.MathAdd", 2, 2, MathAdd),
        new("States.StringSplit", 2, 2, StringSplit),
        new("States.UUID", 0, 0, inv => new JsonString(inv.Random.NewGuid().ToString())),
    }.ToDictionary(f => f.Name, StringComparer.Ordinal);

    public static IEnumerable<string> Names => Functions.Keys;

    public static bool TryGet(string name, out IntrinsicFunction function) => Functions.TryGetValue(name, out function!);

    private static JsonValue StringToJson(IntrinsicInvocation inv)
    {
        var text = Args.String(inv, 0);
        try
        {
            return JsonValue.Parse(text);
        }
        catch (JsonParseException ex)
        {
            throw new IntrinsicFailureException($"the string is not valid JSON ({ex.Message})");
        }
    }

    private static JsonValue ArrayPartition(IntrinsicInvocation inv)
    {
        var array = Args.Array(inv, 0);
        var size = Args.Integer(inv, 1);
        if (size <= 0)
        {
            throw new IntrinsicFailureException($"the chunk size must be a positive integer, not {size}");
        }
        var chunks = new List<JsonValue>();
        for (var i = 0; i < array.Count; i += (int)size)
        {
            var length = (int)Math.Min(size, array.Count - i);
            chunks.Add(new JsonArray(array.AsSpan().Slice(i, length).ToArray()));
        }
        return new JsonArray([.. chunks]);
    }

    private static JsonValue ArrayRange(IntrinsicInvocation inv)
    {
        var start = Args.Integer(inv, 0);
        var end = Args.Integer(inv, 1);
        var step = Args.Integer(inv, 2);
        if (step == 0)
        {
            throw new IntrinsicFailureException("the step must not be 0");
        }
        var items = new List<JsonValue>();
        for (var v = start; step > 0 ? v <= end : v >= end; v += step)
        {
            if (items.Count == MaxArrayRangeLength)
            {
                throw new IntrinsicFailureException($"the range has more than {MaxArrayRangeLength} elements");
            }
            items.Add(JsonNumber.FromInt64(v));
        }
        return new JsonArray([.. items]);
    }

    private static JsonValue ArrayGetItem(IntrinsicInvocation inv)
    {
        var array = Args.Array(inv, 0);
        var index = Args.Integer(inv, 1);
        if (index < 0 || index >= array.Count)
        {
            throw new IntrinsicFailureException($"index {index} is outside the array of length {array.Count}");
        }
        return array[(int)index];
    }

    private static JsonValue Base64Encode(IntrinsicInvocation inv)
    {
        var text = LimitedString(inv, 0);
        return new JsonString(Convert.ToBase64String(Encoding.UTF8.GetBytes(text)));
    }

    private static JsonValue Base64Decode(IntrinsicInvocation inv)
    {
        var text = LimitedString(inv, 0);
        try
        {
            return new JsonString(Encoding.UTF8.GetString(Convert.FromBase64String(text)));
        }
        catch (FormatException)
        {
            throw new IntrinsicFailureException("the string is not valid Base64");
        }
    }

    private static readonly string[] HashAlgorithms = ["MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"];

    private static JsonValue Hash(IntrinsicInvocation inv)
    {
        var data = inv.Args[0] is JsonString s ? s.Value : inv.Args[0].ToJsonString();
        if (data.Length > MaxStringLength)
        {
            throw new IntrinsicFailureException($"the data is longer than {MaxStringLength} characters");
        }
        var algorithm = Args.String(inv, 1);
        var bytes = Encoding.UTF8.GetBytes(data);
        byte[] digest = algorithm switch
        {
#pragma warning disable CA5350, CA5351 // MD5 and SHA-1 are offered by the intrinsic; not used for security here.
            "MD5" => MD5.HashData(bytes),
            "SHA-1" => SHA1.HashData(bytes),
#pragma warning restore CA5350, CA5351
            "SHA-256" => SHA256.HashData(bytes),
            "SHA-384" => SHA384.HashData(bytes),
            "SHA-512" => SHA512.HashData(bytes),
            _ => throw new IntrinsicFailureException($"the algorithm must be one of {string.Join(", ", HashAlgorithms)}, not \"{algorithm}\""),
        };
        return new JsonString(Convert.ToHexStringLower(digest));
    }

    private static string? CheckHashLiterals(IReadOnlyList<IntrinsicExpression> args) =>
        args.Count == 2 && args[1] is LiteralArgument { Value: JsonString a } && !HashAlgorithms.Contains(a.Value)
            ? $"States.Hash algorithm must be one of {string.Join(", ", HashAlgorithms)}, not \"{a.Value}\""
            : null;

    private static JsonValue JsonMerge(IntrinsicInvocation inv)
    {
        var left = Args.Object(inv, 0);
        var right = Args.Object(inv, 1);
        if (Args.Boolean(inv, 2))
        {
            throw new IntrinsicFailureException("deep merging is not supported: the third argument must be false");
        }
        var merged = left;
        foreach (var (name, value) in right.Members)
        {
            merged = merged.SetItem(name, value);
        }
        return merged;
    }

    private static JsonValue MathRandom(IntrinsicInvocation inv)
    {
        var start = Args.Integer(inv, 0);
        var end = Args.Integer(inv, 1);
        if (end <= start)
        {
            throw new IntrinsicFailureException($"the end ({end}) must be greater than the start ({start})");
        }
        if (inv.Args.Length == 3)
        {
            var seeded = new Random((int)Args.Integer(inv, 2));
            return JsonNumber.FromInt64(seeded.NextInt64(start, end));
        }
        return JsonNumber.FromInt64(inv.Random.NextInt64(start, end));
    }

    private static JsonValue MathAdd(IntrinsicInvocation inv)
    {
        var a = Args.Integer(inv, 0);
        var b = Args.Integer(inv, 1);
        foreach (var (v, i) in new[] { (a, 0), (b, 1) })
        {
            if (v is < int.MinValue or > int.MaxValue)
            {
                throw new IntrinsicFailureException($"argument {i + 1} ({v}) is outside the 32-bit integer range");
            }
        }
        return JsonNumber.FromInt64(a + b);
    }

    private static JsonValue StringSplit(IntrinsicInvocation inv)
    {
        var text = Args.String(inv, 0);
        var delimiters = Args.String(inv, 1);
        var parts = delimiters.Length == 0
            ? [text]
            : text.Split(delimiters.ToCharArray(), StringSplitOptions.RemoveEmptyEntries);
        return new JsonArray(parts.Select(p => (JsonValue)new JsonString(p)).ToArray());
    }

    private static string LimitedString(in IntrinsicInvocation inv, int i)
    {
        var text = Args.String(inv, i);
        if (text.Length > MaxStringLength)
        {
            throw new IntrinsicFailureException($"the string is longer than {MaxStringLength} characters");
        }
        return text;
    }
}
