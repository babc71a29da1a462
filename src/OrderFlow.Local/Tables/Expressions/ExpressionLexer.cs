namespace OrderFlow.Local.Tables.Expressions;

internal enum TokenKind { Name, NamePlaceholder, ValuePlaceholder, Number, Symbol, End }

internal readonly record struct Token(TokenKind Kind, string Text, int Position)
{
    public bool Is(string symbolOrKeyword) =>
        (Kind == TokenKind.Symbol && Text == symbolOrKeyword)
        || (Kind == TokenKind.Name && string.Equals(Text, symbolOrKeyword, StringComparison.OrdinalIgnoreCase));
}

/// <summary>Splits a DynamoDB expression into tokens (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.html).</summary>
internal static class ExpressionLexer
{
    private static readonly string[] Symbols = ["<>", "<=", ">=", "=", "<", ">", "(", ")", ",", ".", "[", "]", "+", "-"];

    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            var start = i;
            if (c is '#' or ':')
            {
                i++;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }
                if (i == start + 1)
                {
                    throw new ExpressionException($"Invalid token: \"{c}\" at position {start + 1} must be followed by a name");
                }
                tokens.Add(new Token(c == '#' ? TokenKind.NamePlaceholder : TokenKind.ValuePlaceholder, text[start..i], start));
                continue;
            }
            if (char.IsAsciiDigit(c))
            {
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }
                tokens.Add(new Token(TokenKind.Number, text[start..i], start));
                continue;
            }
            if (char.IsLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '-'))
                {
                    i++;
                }
                tokens.Add(new Token(TokenKind.Name, text[start..i], start));
                continue;
            }
            var symbol = Symbols.FirstOrDefault(s => string.CompareOrdinal(text, i, s, 0, s.Length) == 0)
                ?? throw new ExpressionException($"Invalid token: \"{c}\" at position {i + 1}");
            tokens.Add(new Token(TokenKind.Symbol, symbol, i));
            i += symbol.Length;
        }
        tokens.Add(new Token(TokenKind.End, string.Empty, text.Length));
        return tokens;
    }
}

/// <summary>An invalid expression; becomes a ValidationException.</summary>
internal sealed class ExpressionException(string message) : Exception(message);
