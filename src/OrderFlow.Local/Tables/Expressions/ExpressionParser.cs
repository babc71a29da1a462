using OrderFlow.Json;

namespace OrderFlow.Local.Tables.Expressions;

/// <summary>
/// Parses ConditionExpression / KeyConditionExpression / FilterExpression and UpdateExpression, resolving
/// <c>#name</c> and <c>:value</c> placeholders and recording which were used (unused ones are an error in DynamoDB).
/// Precedence: comparisons, then NOT, AND, OR.
/// </summary>
internal sealed class ExpressionParser
{
    private static readonly string[] Functions = ["attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains", "size"];

    private readonly List<Token> _tokens;
    private readonly ExpressionPlaceholders _placeholders;
    private int _pos;

    private ExpressionParser(string text, ExpressionPlaceholders placeholders)
    {
        _tokens = ExpressionLexer.Tokenize(text);
        _placeholders = placeholders;
    }

    public static ConditionNode ParseCondition(string text, ExpressionPlaceholders placeholders)
    {
        var parser = new ExpressionParser(text, placeholders);
        var node = parser.Or();
        parser.ExpectEnd();
        return node;
    }

    public static IReadOnlyList<UpdateAction> ParseUpdate(string text, ExpressionPlaceholders placeholders)
    {
        var parser = new ExpressionParser(text, placeholders);
        var actions = new List<UpdateAction>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (parser.Peek.Kind != TokenKind.End)
        {
            var clause = parser.Next();
            var keyword = clause.Text.ToUpperInvariant();
            if (clause.Kind != TokenKind.Name || keyword is not ("SET" or "REMOVE" or "ADD" or "DELETE"))
            {
                throw parser.Error(clause, "expected SET, REMOVE, ADD or DELETE");
            }
            if (!seen.Add(keyword))
            {
                throw parser.Error(clause, $"The \"{keyword}\" section can only be used once in an update expression");
            }
            do
            {
                var path = parser.Path();
                switch (keyword)
                {
                    case "SET":
                        parser.Expect("=");
                        actions.Add(new SetAction(path, parser.SetValue()));
                        break;
                    case "REMOVE":
                        actions.Add(new RemoveAction(path));
                        break;
                    default:
                        var value = parser.Next();
                        if (value.Kind != TokenKind.ValuePlaceholder)
                        {
                            throw parser.Error(value, $"{keyword} takes a path and a :value");
                        }
                        actions.Add(new SetOperationAction(path, placeholders.Value(value.Text), keyword == "ADD"));
                        break;
                }
            }
            while (parser.TryTake(","));
        }
        if (actions.Count == 0)
        {
            throw new ExpressionException("Invalid UpdateExpression: The expression can not be empty");
        }
        var paths = actions.Select(a => a.Path.ToString()).ToList();
        var overlap = paths.GroupBy(p => p).FirstOrDefault(g => g.Count() > 1);
        if (overlap is not null)
        {
            throw new ExpressionException($"Invalid UpdateExpression: Two document paths overlap with each other; path: [{overlap.Key}]");
        }
        return actions;
    }

    /// <summary>Resolves a projection or key name list: <c>#a, b.c</c>.</summary>
    public static IReadOnlyList<DocumentPath> ParsePaths(string text, ExpressionPlaceholders placeholders)
    {
        var parser = new ExpressionParser(text, placeholders);
        var paths = new List<DocumentPath> { parser.Path() };
        while (parser.TryTake(","))
        {
            paths.Add(parser.Path());
        }
        parser.ExpectEnd();
        return paths;
    }

    private ConditionNode Or()
    {
        var left = And();
        while (TryTake("OR"))
        {
            left = new OrNode(left, And());
        }
        return left;
    }

    private ConditionNode And()
    {
        var left = Not();
        while (TryTake("AND"))
        {
            left = new AndNode(left, Not());
        }
        return left;
    }

    private ConditionNode Not() => TryTake("NOT") ? new NotNode(Not()) : Primary();

    private ConditionNode Primary()
    {
        if (TryTake("("))
        {
            var inner = Or();
            Expect(")");
            return inner;
        }
        var token = Peek;
        if (token.Kind == TokenKind.Name && Functions.Contains(token.Text) && token.Text != "size" && _tokens[_pos + 1].Is("("))
        {
            _pos += 2;
            var path = Path();
            Operand? argument = null;
            if (token.Text is not ("attribute_exists" or "attribute_not_exists"))
            {
                Expect(",");
                argument = OperandTerm();
            }
            Expect(")");
            return new FunctionNode(token.Text, path, argument);
        }
        var left = OperandTerm();
        if (TryTake("BETWEEN"))
        {
            var low = OperandTerm();
            Expect("AND");
            return new BetweenNode(left, low, OperandTerm());
        }
        if (TryTake("IN"))
        {
            Expect("(");
            var list = new List<Operand> { OperandTerm() };
            while (TryTake(","))
            {
                list.Add(OperandTerm());
            }
            Expect(")");
            return new InNode(left, list);
        }
        var op = Next();
        if (op.Kind != TokenKind.Symbol || op.Text is not ("=" or "<>" or "<" or "<=" or ">" or ">="))
        {
            throw Error(op, "expected a comparator (=, <>, <, <=, >, >=), BETWEEN or IN");
        }
        return new CompareNode(left, op.Text, OperandTerm());
    }

    private Operand OperandTerm()
    {
        var token = Peek;
        if (token.Kind == TokenKind.ValuePlaceholder)
        {
            _pos++;
            return new ValueOperand(_placeholders.Value(token.Text));
        }
        if (token.Is("size") && _tokens[_pos + 1].Is("("))
        {
            _pos += 2;
            var path = Path();
            Expect(")");
            return new SizeOperand(path);
        }
        return new PathOperand(Path());
    }

    private Operand SetValue()
    {
        var left = SetTerm();
        if (TryTake("+"))
        {
            return new ArithmeticOperand(left, add: true, SetTerm());
        }
        if (TryTake("-"))
        {
            return new ArithmeticOperand(left, add: false, SetTerm());
        }
        return left;
    }

    private Operand SetTerm()
    {
        var token = Peek;
        if (token.Kind == TokenKind.Name && _tokens[_pos + 1].Is("("))
        {
            _pos += 2;
            Operand result = token.Text switch
            {
                "if_not_exists" => IfNotExists(),
                "list_append" => ListAppend(),
                _ => throw Error(token, $"Invalid function name; function: {token.Text}"),
            };
            Expect(")");
            return result;
        }
        if (token.Kind == TokenKind.ValuePlaceholder)
        {
            _pos++;
            return new ValueOperand(_placeholders.Value(token.Text));
        }
        return new PathOperand(Path());
    }

    private IfNotExistsOperand IfNotExists()
    {
        var path = Path();
        Expect(",");
        return new IfNotExistsOperand(path, SetValue());
    }

    private ListAppendOperand ListAppend()
    {
        var first = SetTerm();
        Expect(",");
        return new ListAppendOperand(first, SetTerm());
    }

    private DocumentPath Path()
    {
        var elements = new List<object> { NameElement() };
        while (true)
        {
            if (TryTake("."))
            {
                elements.Add(NameElement());
            }
            else if (TryTake("["))
            {
                var index = Next();
                if (index.Kind != TokenKind.Number)
                {
                    throw Error(index, "a list index must be a number");
                }
                elements.Add(int.Parse(index.Text, System.Globalization.CultureInfo.InvariantCulture));
                Expect("]");
            }
            else
            {
                return new DocumentPath(elements);
            }
        }
    }

    private string NameElement()
    {
        var token = Next();
        return token.Kind switch
        {
            TokenKind.Name => token.Text,
            TokenKind.NamePlaceholder => _placeholders.Name(token.Text),
            _ => throw Error(token, "expected an attribute name or #placeholder"),
        };
    }

    private Token Peek => _tokens[_pos];

    private Token Next() => _tokens[Math.Min(_pos++, _tokens.Count - 1)];

    private bool TryTake(string symbolOrKeyword)
    {
        if (Peek.Is(symbolOrKeyword))
        {
            _pos++;
            return true;
        }
        return false;
    }

    private void Expect(string symbolOrKeyword)
    {
        var token = Next();
        if (!token.Is(symbolOrKeyword))
        {
            throw Error(token, $"expected \"{symbolOrKeyword}\"");
        }
    }

    private void ExpectEnd()
    {
        if (Peek.Kind != TokenKind.End)
        {
            throw Error(Peek, "unexpected text after the end of the expression");
        }
    }

    private ExpressionException Error(Token token, string reason) =>
        new($"Invalid expression: {reason}; near \"{(token.Kind == TokenKind.End ? "<end>" : token.Text)}\" at position {token.Position + 1}");
}

/// <summary>ExpressionAttributeNames and ExpressionAttributeValues of one request, and which of them were used.</summary>
internal sealed class ExpressionPlaceholders(JsonObject? names, JsonObject? values)
{
    /// <summary>A request without placeholders: any use of one fails, and nothing is recorded, so one instance serves all.</summary>
    public static readonly ExpressionPlaceholders None = new(null, null);

    // Made on first use: most requests (an insert-only Put) have no placeholders at all.
    private HashSet<string>? _usedNames;
    private HashSet<string>? _usedValues;

    public string Name(string placeholder)
    {
        if (names?[placeholder] is JsonString s)
        {
            (_usedNames ??= []).Add(placeholder);
            return s.Value;
        }
        throw new ExpressionException($"An expression attribute name used in the document path is not defined; attribute name: {placeholder}");
    }

    public JsonValue Value(string placeholder)
    {
        if (values?[placeholder] is { } v)
        {
            if (AttributeValues.Validate(v, $"ExpressionAttributeValues.{placeholder}") is { } error)
            {
                throw new ExpressionException(error);
            }
            (_usedValues ??= []).Add(placeholder);
            return v;
        }
        throw new ExpressionException($"An expression attribute value used in expression is not defined; attribute value: {placeholder}");
    }

    /// <summary>Records the <c>#names</c> a cached expression uses, as parsing it would have.</summary>
    public void MarkNamesUsed(string expression)
    {
        if (names is null)
        {
            return;
        }
        foreach (var token in ExpressionLexer.Tokenize(expression).Where(t => t.Kind == TokenKind.NamePlaceholder))
        {
            _ = Name(token.Text);
        }
    }

    /// <summary>DynamoDB rejects placeholders that no expression of the request uses.</summary>
    public void CheckAllUsed()
    {
        if (names is { Count: > 0 } && Unused(names, _usedNames) is { Count: > 0 } unusedNames)
        {
            throw new ExpressionException($"Value provided in ExpressionAttributeNames unused in expressions: keys: {{{string.Join(", ", unusedNames)}}}");
        }
        if (values is { Count: > 0 } && Unused(values, _usedValues) is { Count: > 0 } unusedValues)
        {
            throw new ExpressionException($"Value provided in ExpressionAttributeValues unused in expressions: keys: {{{string.Join(", ", unusedValues)}}}");
        }
    }

    private static List<string> Unused(JsonObject defined, HashSet<string>? used) =>
        defined.Names.Where(n => used is null || !used.Contains(n)).ToList();
}
