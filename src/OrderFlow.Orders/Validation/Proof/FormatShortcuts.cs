namespace OrderFlow.Orders.Validation.Proof;

/// <summary>
/// Certain acceptance of the plain shapes nearly every real value has, decided without JsonSchema.Net: a
/// <c>date-time</c> in RFC 3339's full form (https://www.rfc-editor.org/rfc/rfc3339#section-5.6) with a real calendar
/// day, a <c>date</c> likewise, and an <c>email</c> whose address is a dot-atom of letters, digits and <c>._+-</c> at a
/// host name of two or more labels ending in letters (RFC 5321 §4.1.2). Each shortcut only ever says "valid"; any
/// other string (leap seconds, lower-case separators, quoted local parts, address literals, non-ASCII) goes to the
/// library's own check, so the verdict stays the library's wherever the shortcut is silent.
/// </summary>
internal static class FormatShortcuts
{
    /// <summary>Whether <paramref name="text"/> is certainly valid for <paramref name="format"/>; false means "ask the library".</summary>
    public static bool CertainlyValid(string format, string text) => format switch
    {
        "date-time" => IsPlainDateTime(text),
        "date" => text.Length == 10 && IsPlainDate(text),
        "email" => IsPlainEmail(text),
        _ => false,
    };

    // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)
    private static bool IsPlainDateTime(string text)
    {
        if (text.Length < 20 || text[10] != 'T' || !IsPlainDate(text) || text[13] != ':' || text[16] != ':')
        {
            return false;
        }
        if (!TwoDigits(text, 11, 23) || !TwoDigits(text, 14, 59) || !TwoDigits(text, 17, 59))
        {
            return false;
        }
        var i = 19;
        if (text[i] == '.')
        {
            var start = ++i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
            if (i == start || i - start > 9)
            {
                return false;
            }
        }
        if (i == text.Length - 1)
        {
            return text[i] == 'Z';
        }
        return i == text.Length - 6 && text[i] is '+' or '-' && text[i + 3] == ':' && TwoDigits(text, i + 1, 23) && TwoDigits(text, i + 4, 59);
    }

    // YYYY-MM-DD at the start of the text, a day that exists (years 0001-9999).
    private static bool IsPlainDate(string text)
    {
        if (text[4] != '-' || text[7] != '-' || !TwoDigits(text, 5, 12) || !TwoDigits(text, 8, 31))
        {
            return false;
        }
        for (var i = 0; i < 4; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }
        }
        var year = ((text[0] - '0') * 1000) + ((text[1] - '0') * 100) + ((text[2] - '0') * 10) + (text[3] - '0');
        var month = Number(text, 5);
        var day = Number(text, 8);
        return year >= 1 && month >= 1 && day >= 1 && day <= DateTime.DaysInMonth(year, month);
    }

    private static bool TwoDigits(string text, int at, int maximum) =>
        char.IsAsciiDigit(text[at]) && char.IsAsciiDigit(text[at + 1]) && Number(text, at) <= maximum;

    private static int Number(string text, int at) => ((text[at] - '0') * 10) + (text[at + 1] - '0');

    private static bool IsPlainEmail(string text)
    {
        var at = text.IndexOf('@');
        if (at < 1 || at > 64 || text.Length > 254 || text.Length - at - 1 < 4)
        {
            return false;
        }
        // Local part: atoms of [A-Za-z0-9_+-] separated by single dots.
        var previous = '.';
        for (var i = 0; i < at; i++)
        {
            var c = text[i];
            if (c == '.' ? previous == '.' : !(char.IsAsciiLetterOrDigit(c) || c is '_' or '+' or '-'))
            {
                return false;
            }
            previous = c;
        }
        if (previous == '.')
        {
            return false;
        }
        // Domain: two or more labels of [A-Za-z0-9-], neither starting nor ending with '-', the last letters only.
        var labels = 0;
        var labelStart = at + 1;
        for (var i = at + 1; i <= text.Length; i++)
        {
            if (i < text.Length && text[i] != '.')
            {
                if (!(char.IsAsciiLetterOrDigit(text[i]) || text[i] == '-'))
                {
                    return false;
                }
                continue;
            }
            var length = i - labelStart;
            if (length is < 1 or > 63 || text[labelStart] == '-' || text[i - 1] == '-')
            {
                return false;
            }
            labels++;
            if (i == text.Length)
            {
                for (var j = labelStart; j < i; j++)
                {
                    if (!char.IsAsciiLetter(text[j]))
                    {
                        return false;
                    }
                }
                return labels >= 2 && length >= 2;
            }
            labelStart = i + 1;
        }
        return false;
    }
}
