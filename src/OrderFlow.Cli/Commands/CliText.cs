namespace OrderFlow.Cli.Commands;

/// <summary>Text the commands print about orders, which hold whatever their files held.</summary>
internal static class CliText
{
    /// <summary>
    /// The text with its control characters written as escapes (<c>\n</c>, <c>\u0007</c>): an order is whatever the
    /// file held, and an OrderId or a quoted value with a line break in it must not break the one-line-per-order list.
    /// </summary>
    public static string OneLine(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\u0000', '\u001f') && !text.Contains('\u007f', StringComparison.Ordinal))
        {
            return text;
        }
        var line = new System.Text.StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\n' => line.Append("\\n"),
                '\r' => line.Append("\\r"),
                '\t' => line.Append("\\t"),
                < ' ' or '\u007f' => line.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => line.Append(c),
            };
        }
        return line.ToString();
    }
}
