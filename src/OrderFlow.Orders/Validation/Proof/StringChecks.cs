using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;
using OrderFlow.Json;

namespace OrderFlow.Orders.Validation.Proof;

/// <summary>
/// <c>minLength</c> and <c>maxLength</c> (§6.3.1, §6.3.2). Implementations count characters differently (UTF-16 units,
/// code points, text elements: JsonSchema.Net 8 counts text elements), so a bound is certain only when every way of
/// counting agrees with it. For ASCII text all three are the same number.
/// </summary>
internal sealed class LengthCheck(long minimum, long maximum) : ProofCheck
{
    public override Verdict Check(JsonValue instance, int depth)
    {
        if (instance is not JsonString { Value: var text })
        {
            return Verdict.Valid;
        }
        if (IsAscii(text))
        {
            return Verdicts.From(text.Length >= minimum && text.Length <= maximum);
        }
        // Text elements ≤ code points ≤ UTF-16 units.
        var most = text.Length;
        var least = new StringInfo(text).LengthInTextElements;
        if (least >= minimum && most <= maximum)
        {
            return Verdict.Valid;
        }
        return most < minimum || least > maximum ? Verdict.Invalid : Verdict.Unknown;
    }

    private static bool IsAscii(string text) => System.Text.Ascii.IsValid(text);
}

/// <summary>
/// <c>pattern</c> (§6.3.3): an ECMA-262 regular expression, not anchored. JsonSchema.Net runs it with .NET's ECMAScript
/// option; the proof is certain only when that and .NET's default dialect agree, so it does not hang on either choice.
/// </summary>
internal sealed partial class PatternCheck : ProofCheck
{
    private readonly Regex _ecmaScript;
    private readonly Regex _dotnet;
    private readonly bool _dialectsAgreeOnPlainText;
    private readonly SimplePattern? _simple;

    // ' ' to '~': printable ASCII, where the two regex dialects agree.
    private static readonly SearchValues<char> PrintableAscii = SearchValues.Create(string.Concat(Enumerable.Range(' ', '~' - ' ' + 1).Select(c => (char)c)));

    private PatternCheck(Regex ecmaScript, Regex dotnet, bool dialectsAgreeOnPlainText, SimplePattern? simple)
    {
        _ecmaScript = ecmaScript;
        _dotnet = dotnet;
        _dialectsAgreeOnPlainText = dialectsAgreeOnPlainText;
        _simple = simple;
    }

    public static PatternCheck? TryCreate(string pattern)
    {
        try
        {
            // The ECMAScript option changes three things (https://learn.microsoft.com/dotnet/standard/base-types/regular-expression-options#ecmascript-matching-behavior):
            // what \w, \s and \d match beyond printable ASCII, and how \<digits> (back reference or octal escape,
            // self-referencing groups) is read. A pattern without \<digit> therefore means the same in both dialects
            // for text of printable ASCII, and one match decides.
            // A simple pattern (codes, identifiers: nearly every pattern of an order schema) matches printable ASCII
            // without a regex; its regexes are still made (both dialects must accept the pattern) but not compiled to IL,
            // which would cost the start of every run the regex compiler's and the JIT's work for code used only on
            // other text.
            var simple = SimplePattern.TryParse(pattern);
            var compiled = simple is null ? RegexOptions.Compiled : RegexOptions.None;
            return new PatternCheck(
                new Regex(pattern, RegexOptions.ECMAScript | compiled),
                new Regex(pattern, RegexOptions.CultureInvariant | compiled),
                dialectsAgreeOnPlainText: !BackslashDigit().IsMatch(pattern),
                simple);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    public override Verdict Check(JsonValue instance, int depth)
    {
        if (instance is not JsonString { Value: var text })
        {
            return Verdict.Valid;
        }
        if (_dialectsAgreeOnPlainText && !text.AsSpan().ContainsAnyExcept(PrintableAscii))
        {
            return Verdicts.From(_simple?.IsMatch(text) ?? _ecmaScript.IsMatch(text));
        }
        var matches = _ecmaScript.IsMatch(text);
        return matches == _dotnet.IsMatch(text) ? Verdicts.From(matches) : Verdict.Unknown;
    }

    [GeneratedRegex(@"\\[0-9]")]
    private static partial Regex BackslashDigit();
}

/// <summary>
/// <c>format</c> as an assertion (§7.2.2; the order schema requires it): the string goes to JsonSchema.Net's own format
/// check, so the verdict is the library's by construction, except for the plain shapes <see cref="FormatShortcuts"/>
/// accepts on its own (tested to agree with the library). Formats it does not know are never certain.
/// </summary>
internal sealed class FormatCheck(Format format) : ProofCheck
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _writer;

    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal)
    {
        "date", "date-time", "time", "duration", "email", "idn-email", "hostname", "ipv4", "ipv6", "uri", "uri-reference", "uuid",
    };

    public override Verdict Check(JsonValue instance, int depth)
    {
        if (instance is not JsonString text)
        {
            return Verdict.Valid;
        }
        if (FormatShortcuts.CertainlyValid(format.Key, text.Value))
        {
            return Verdict.Valid;
        }
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(256);
        buffer.Clear();
        var writer = _writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        instance.WriteTo(writer);
        writer.Flush();
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return Verdicts.From(format.Validate(document.RootElement, out _));
    }
}
