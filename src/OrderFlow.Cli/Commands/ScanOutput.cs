using System.Globalization;
using OrderFlow.Json;

namespace OrderFlow.Cli.Commands;

/// <summary>
/// <c>orderflow dynamodb scan</c>'s output, <c>{"Items":[...],"Count":N,"ScannedCount":N}</c> indented as
/// <see cref="JsonValue.ToIndentedJsonString"/> writes it, written a page at a time as the Scan reads the table: a
/// table of millions of items is printed in the memory of one page, not gathered first.
/// </summary>
internal sealed class ScanOutput(TextWriter output)
{
    private const string ItemIndent = "    ";

    private long _count;

    /// <summary>Writes a page's items.</summary>
    public void Write(JsonArray items)
    {
        foreach (var item in items)
        {
            output.Write(_count++ == 0 ? "{\n  \"Items\": [\n" : ",\n");
            var lines = item.ToIndentedJsonString().Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                output.Write(ItemIndent);
                output.Write(lines[i].TrimEnd('\r'));
                if (i < lines.Length - 1)
                {
                    output.Write('\n');
                }
            }
        }
    }

    /// <summary>Closes the object with the counts.</summary>
    public void End()
    {
        output.Write(_count == 0 ? "{\n  \"Items\": []" : "\n  ]");
        output.Write(string.Create(CultureInfo.InvariantCulture, $",\n  \"Count\": {_count},\n  \"ScannedCount\": {_count}\n}}\n"));
        output.Flush();
    }
}
