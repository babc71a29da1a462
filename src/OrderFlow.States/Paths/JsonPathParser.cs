using System.Globalization;
using System.Text;

namespace OrderFlow.States.Paths;

/// <summary>Recursive-descent parser for the JSONPath dialect Step Functions accepts.</summary>
internal ref struct JsonPathParser
{
    private readonly string _text;
    private int _pos;

    private JsonPathParser(string text, int pos)
    {
        _text = text;
        _pos = pos;
    }

    public static bool TryParse(string text, out JsonPath path, out string error)
    {
        path = null!;
        try
        {
            path = ParseOrThrow(text);
            error = string.Empty;
            return true;
        }
        catch (FormatException ex)
        {
            error = ex.Message;
            return false;
        }
    }

    private static JsonPath ParseOrThrow(string text)
    {
        if (string.IsNullOrEmpty(text) || text[0] != '$')
        {
            throw new FormatException($"\"{text}\" is not a JSONPath: it must start with '$'.");
        }
        PathRootKind root;
        string? variable = null;
        var pos = 1;
        if (text.Length > 1 && text[1] == '$')
        {
            root = PathRootKind.Context;
            pos = 2;
        }
        else if (text.Length > 1 && (char.IsLetter(text[1]) || text[1] == '_'))
        {
            root = PathRootKind.Variable;
            while (pos < text.Length && (char.IsLetterOrDigit(text[pos]) || text[pos] == '_'))
            {
                pos++;
            }
            variable = text[1..pos];
        }
        else
        {
            root = PathRootKind.Input;
        }
        var parser = new JsonPathParser(text, pos);
        var segments = parser.ParseSegments(stopAtCloseParen: false);
        return new JsonPath(text, root, variable, [.. segments]);
    }

    /// <summary>Parses a relative path (after '@' or '$') inside a filter; stops at an operator or ')'.</summary>
    internal static PathSegment[] ParseRelative(string text, ref int pos)
    {
        var parser = new JsonPathParser(text, pos);
        var segments = parser.ParseSegments(stopAtCloseParen: true);
        pos = parser._pos;
        return [.. segments];
    }

    private List<PathSegment> ParseSegments(bool stopAtCloseParen)
    {
        var segments = new List<PathSegment>();
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == '.')
            {
                if (Peek(1) == '.')
                {
                    _pos += 2;
                    segments.Add(new DescendantSegment(ParseAfterDescendant()));
                }
                else
                {
                    _pos++;
                    segments.Add(ParseDotName());
                }
            }
            else if (c == '[')
            {
                segments.Add(ParseBracket());
            }
            else if (stopAtCloseParen)
            {
                break;
            }
            else
            {
                throw Error($"unexpected character '{c}'");
            }
        }
        return segments;
    }

    private PathSegment ParseAfterDescendant()
    {
        if (_pos < _text.Length && _text[_pos] == '[')
        {
            return ParseBracket();
        }
        return ParseDotName();
    }

    private PathSegment ParseDotName()
    {
        if (_pos < _text.Length && _text[_pos] == '*')
        {
            _pos++;
            return WildcardSegment.Instance;
        }
        var start = _pos;
        while (_pos < _text.Length && _text[_pos] is not ('.' or '[') && !IsFilterBoundary(_text[_pos]))
        {
            _pos++;
        }
        if (_pos == start)
        {
            throw Error("a name is expected after '.'");
        }
        return new NameSegment(_text[start.._pos]);
    }

    private static bool IsFilterBoundary(char c) => c is ' ' or ')' or '=' or '!' or '<' or '>' or '&' or '|';

    private PathSegment ParseBracket()
    {
        _pos++; // '['
        SkipSpaces();
        if (_pos >= _text.Length)
        {
            throw Error("unterminated '['");
        }
        PathSegment segment;
        var c = _text[_pos];
        if (c == '*')
        {
            _pos++;
            segment = WildcardSegment.Instance;
        }
        else if (c == '?')
        {
            _pos++;
            SkipSpaces();
            Expect('(');
            var filter = FilterParser.Parse(_text, ref _pos);
            SkipSpaces();
            Expect(')');
            segment = new FilterSegment(filter);
        }
        else if (c is '\'' or '"')
        {
            var names = new List<PathSegment> { new NameSegment(ReadQuoted()) };
            SkipSpaces();
            while (_pos < _text.Length && _text[_pos] == ',')
            {
                _pos++;
                SkipSpaces();
                names.Add(new NameSegment(ReadQuoted()));
                SkipSpaces();
            }
            segment = names.Count == 1 ? names[0] : new UnionSegment(names);
        }
        else
        {
            segment = ParseIndexOrSlice();
        }
        SkipSpaces();
        Expect(']');
        return segment;
    }

    private PathSegment ParseIndexOrSlice()
    {
        var first = ReadOptionalInt();
        SkipSpaces();
        if (_pos < _text.Length && _text[_pos] == ':')
        {
            _pos++;
            SkipSpaces();
            var end = ReadOptionalInt();
            SkipSpaces();
            var step = 1;
            if (_pos < _text.Length && _text[_pos] == ':')
            {
                _pos++;
                SkipSpaces();
                step = ReadOptionalInt() ?? 1;
                if (step == 0)
                {
                    throw Error("a slice step cannot be 0");
                }
            }
            return new SliceSegment(first, end, step);
        }
        if (first is null)
        {
            throw Error("an index, a quoted name, '*' or a filter is expected inside '[]'");
        }
        var indexes = new List<PathSegment> { new IndexSegment(first.Value) };
        while (_pos < _text.Length && _text[_pos] == ',')
        {
            _pos++;
            SkipSpaces();
            indexes.Add(new IndexSegment(ReadOptionalInt() ?? throw Error("an index is expected after ','")));
            SkipSpaces();
        }
        return indexes.Count == 1 ? indexes[0] : new UnionSegment(indexes);
    }

    private int? ReadOptionalInt()
    {
        var start = _pos;
        if (_pos < _text.Length && _text[_pos] == '-')
        {
            _pos++;
        }
        while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos]))
        {
            _pos++;
        }
        if (_pos == start)
        {
            return null;
        }
        return int.TryParse(_text.AsSpan(start, _pos - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw Error("an index is out of range");
    }

    private string ReadQuoted()
    {
        if (_pos >= _text.Length || _text[_pos] is not ('\'' or '"'))
        {
            throw Error("a quoted name is expected");
        }
        var quote = _text[_pos++];
        var sb = new StringBuilder();
        while (_pos < _text.Length && _text[_pos] != quote)
        {
            if (_text[_pos] == '\\' && _pos + 1 < _text.Length)
            {
                _pos++;
            }
            sb.Append(_text[_pos++]);
        }
        if (_pos >= _text.Length)
        {
            throw Error("unterminated quoted name");
        }
        _pos++;
        return sb.ToString();
    }

    private void Expect(char c)
    {
        if (_pos >= _text.Length || _text[_pos] != c)
        {
            throw Error($"'{c}' expected");
        }
        _pos++;
    }

    private void SkipSpaces()
    {
        while (_pos < _text.Length && _text[_pos] == ' ')
        {
            _pos++;
        }
    }

    private readonly char Peek(int offset) => _pos + offset < _text.Length ? _text[_pos + offset] : '\0';

    private readonly FormatException Error(string reason) =>
        new($"\"{_text}\" is not a valid JSONPath: {reason} at position {_pos + 1}.");
}
