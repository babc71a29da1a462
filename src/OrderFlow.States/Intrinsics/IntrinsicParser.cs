using System.Globalization;
using System.Text;
using OrderFlow.Json;
using OrderFlow.States.Paths;

namespace OrderFlow.States.Intrinsics;

/// <summary>
/// Parses <c>States.Name(arg, ...)</c>. Arguments are string literals in single quotes (with <c>\'</c>, <c>\{</c>,
/// <c>\}</c> and <c>\\</c> escapes), numbers, <c>true</c>/<c>false</c>/<c>null</c>, paths and nested calls.
/// </summary>
internal sealed class IntrinsicParser
{
    private readonly string _text;
    private int _pos;

    private IntrinsicParser(string text) => _text = text;

    public static bool TryParse(string text, out IntrinsicCall call, out string error)
    {
        call = null!;
        try
        {
            var parser = new IntrinsicParser(text);
            call = parser.ParseCall();
            parser.SkipSpaces();
            if (parser._pos != text.Length)
            {
                throw parser.Error("unexpected text after the closing ')'");
            }
            error = string.Empty;
            return true;
        }
        catch (FormatException ex)
        {
            error = ex.Message;
            return false;
        }
    }

    private IntrinsicCall ParseCall()
    {
        var start = _pos;
        while (_pos < _text.Length && (char.IsLetterOrDigit(_text[_pos]) || _text[_pos] == '.'))
        {
            _pos++;
        }
        var name = _text[start.._pos];
        if (!IntrinsicFunctions.TryGet(name, out var function))
        {
            throw Error($"unknown intrinsic function \"{name}\"");
        }
        SkipSpaces();
        Expect('(');
        var args = new List<IntrinsicExpression>();
        SkipSpaces();
        if (Peek() == ')')
        {
            _pos++;
        }
        else
        {
            while (true)
            {
                SkipSpaces();
                args.Add(ParseArgument());
                SkipSpaces();
                if (Peek() == ',')
                {
                    _pos++;
                    continue;
                }
                Expect(')');
                break;
            }
        }
        var call = new IntrinsicCall(_text[start.._pos], function, args);
        if (function.CheckArity(args.Count) is { } arityError)
        {
            throw Error(arityError);
        }
        if (function.CheckLiterals is { } check && check(args) is { } literalError)
        {
            throw Error(literalError);
        }
        return call;
    }

    private IntrinsicExpression ParseArgument()
    {
        var c = Peek();
        if (c == '\'')
        {
            return ParseString();
        }
        if (c == '$')
        {
            return ParsePath();
        }
        if (_text.AsSpan(_pos).StartsWith("States."))
        {
            return ParseCall();
        }
        foreach (var (word, value) in new[] { ("true", JsonValue.True), ("false", JsonValue.False), ("null", JsonValue.Null) })
        {
            if (_text.AsSpan(_pos).StartsWith(word) && !char.IsLetterOrDigit(PeekAt(_pos + word.Length)))
            {
                _pos += word.Length;
                return new LiteralArgument(value, null);
            }
        }
        var start = _pos;
        while (_pos < _text.Length && (char.IsAsciiDigit(_text[_pos]) || _text[_pos] is '-' or '+' or '.' or 'e' or 'E'))
        {
            _pos++;
        }
        var literal = _text[start.._pos];
        if (literal.Length > 0 && double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            return new LiteralArgument(JsonNumber.FromLiteral(literal), null);
        }
        _pos = start;
        throw Error("an argument (a 'string', a number, true, false, null, a path or an intrinsic function) is expected");
    }

    private LiteralArgument ParseString()
    {
        _pos++; // opening quote
        var value = new StringBuilder();
        var raw = new StringBuilder();
        while (_pos < _text.Length && _text[_pos] != '\'')
        {
            var c = _text[_pos];
            if (c == '\\')
            {
                if (_pos + 1 >= _text.Length)
                {
                    throw Error("a string ends with a lone '\\'");
                }
                var next = _text[_pos + 1];
                if (next is not ('\'' or '{' or '}' or '\\'))
                {
                    throw Error($"'\\{next}' is not an escape; only \\' \\{{ \\}} and \\\\ are");
                }
                value.Append(next);
                raw.Append(c).Append(next);
                _pos += 2;
                continue;
            }
            value.Append(c);
            raw.Append(c);
            _pos++;
        }
        if (_pos >= _text.Length)
        {
            throw Error("unterminated string literal");
        }
        _pos++;
        return new LiteralArgument(new JsonString(value.ToString()), raw.ToString());
    }

    private PathArgument ParsePath()
    {
        var start = _pos;
        var depth = 0;
        char quote = '\0';
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '\'' or '"' && depth > 0)
            {
                quote = c;
            }
            else if (c is '[' or '(')
            {
                depth++;
            }
            else if (c is ']' && depth > 0)
            {
                depth--;
            }
            else if (c == ')' && depth > 0)
            {
                depth--;
            }
            else if (depth == 0 && (c is ',' or ')' || char.IsWhiteSpace(c)))
            {
                break;
            }
            _pos++;
        }
        var text = _text[start.._pos];
        if (!JsonPath.TryParse(text, out var path, out var error))
        {
            throw new FormatException($"\"{_text}\" is not a valid intrinsic function: {error}");
        }
        return new PathArgument(path);
    }

    private void Expect(char c)
    {
        if (Peek() != c)
        {
            throw Error($"'{c}' expected");
        }
        _pos++;
    }

    private char Peek() => PeekAt(_pos);

    private char PeekAt(int i) => i < _text.Length ? _text[i] : '\0';

    private void SkipSpaces()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
        {
            _pos++;
        }
    }

    private FormatException Error(string reason) =>
        new($"\"{_text}\" is not a valid intrinsic function: {reason} at position {_pos + 1}.");
}
