using System.Text;

namespace OrderFlow.Json;

internal static class JsonText
{
    /// <summary>Length in UTF-8 bytes of a string's JSON escaping, without the quotes.</summary>
    public static int EscapedUtf8Length(string value)
    {
        var extra = 0;
        var ascii = true;
        foreach (var c in value)
        {
            if (c < 0x20)
            {
                extra += c is '\n' or '\r' or '\t' or '\b' or '\f' ? 1 : 5;
            }
            else if (c is '"' or '\\')
            {
                extra += 1;
            }
            else if (c >= 0x80)
            {
                ascii = false;
            }
        }
        return (ascii ? value.Length : Encoding.UTF8.GetByteCount(value)) + extra;
    }
}
