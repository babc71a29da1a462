using System.Text;
using OrderFlow.Json;

namespace OrderFlow.States.Intrinsics;

/// <summary>States.Format: <c>{}</c> placeholders filled in order; <c>\{</c> and <c>\}</c> are literal braces.</summary>
internal static partial class IntrinsicFunctions
{
    private static JsonValue Format(IntrinsicInvocation inv)
    {
        var template = inv.Call.Arguments[0] is LiteralArgument { RawString: { } raw } ? raw : Escape(Args.String(inv, 0));
        var placeholders = CountPlaceholders(template);
        if (placeholders != inv.Args.Length - 1)
        {
            throw new IntrinsicFailureException($"the template has {placeholders} placeholder(s) but {inv.Args.Length - 1} value(s) were given");
        }
        var sb = new StringBuilder(template.Length + 16);
        var next = 1;
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c == '\\' && i + 1 < template.Length)
            {
                sb.Append(template[++i]);
            }
            else if (c == '{' && i + 1 < template.Length && template[i + 1] == '}')
            {
                sb.Append(Render(inv, next++));
                i++;
            }
            else
            {
                sb.Append(c);
            }
        }
        return new JsonString(sb.ToString());
    }

    private static string Render(in IntrinsicInvocation inv, int i) => inv.Args[i] switch
    {
        JsonString s => s.Value,
        JsonNumber or JsonBoolean or JsonNull => inv.Args[i].ToJsonString(),
        _ => throw Args.Wrong(inv, i, "a string, number, boolean or null"),
    };

    // A template that came from a path has no escapes: its braces are what they are.
    private static string Escape(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal);

    private static int CountPlaceholders(string template)
    {
        var count = 0;
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] == '\\')
            {
                i++;
            }
            else if (template[i] == '{' && i + 1 < template.Length && template[i + 1] == '}')
            {
                count++;
                i++;
            }
        }
        return count;
    }

    private static string? CheckFormatLiterals(IReadOnlyList<IntrinsicExpression> args)
    {
        if (args.Count > 0 && args[0] is LiteralArgument { RawString: { } raw })
        {
            var placeholders = CountPlaceholders(raw);
            if (placeholders != args.Count - 1)
            {
                return $"States.Format template has {placeholders} placeholder(s) but {args.Count - 1} value(s) follow it";
            }
        }
        else if (args.Count > 0 && args[0] is LiteralArgument)
        {
            return "States.Format's first argument must be a string";
        }
        return null;
    }
}
