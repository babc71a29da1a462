namespace OrderFlow.Json;

/// <summary>
/// Wildcard matching as both the States Language (Choice <c>StringMatches</c>) and EventBridge (<c>wildcard</c>)
/// define it: <c>*</c> matches any run of characters, <c>\*</c> is a literal star and <c>\\</c> a literal backslash.
/// Linear in practice: on a mismatch it backtracks only to the last star, never builds a regex.
/// </summary>
public static class WildcardPattern
{
    public static bool IsMatch(string pattern, string text)
    {
        int p = 0, t = 0, starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                starP = ++p;
                starT = t;
                continue;
            }
            if (p < pattern.Length)
            {
                var escaped = pattern[p] == '\\' && p + 1 < pattern.Length;
                if ((escaped ? pattern[p + 1] : pattern[p]) == text[t])
                {
                    p += escaped ? 2 : 1;
                    t++;
                    continue;
                }
            }
            if (starP < 0)
            {
                return false;
            }
            p = starP;
            t = ++starT;
        }
        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }
        return p == pattern.Length;
    }
}
