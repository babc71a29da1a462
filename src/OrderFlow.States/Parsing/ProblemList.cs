namespace OrderFlow.States.Parsing;

/// <summary>One problem found in a definition, located by its field path, e.g. <c>States.Map.ItemProcessor.States.Validate.Next</c>.</summary>
public sealed record DefinitionProblem(string Location, string Message)
{
    public override string ToString() => string.IsNullOrEmpty(Location) ? Message : $"{Location}: {Message}";
}

/// <summary>Collects every problem of a definition so that all are reported at once.</summary>
public sealed class ProblemList
{
    private readonly List<DefinitionProblem> _problems = [];

    public IReadOnlyList<DefinitionProblem> Items => _problems;

    public int Count => _problems.Count;

    public void Add(string location, string message) => _problems.Add(new DefinitionProblem(location, message));
}

/// <summary>A definition that cannot run, with every problem found.</summary>
public sealed class InvalidDefinitionException(IReadOnlyList<DefinitionProblem> problems)
    : Exception($"The definition is invalid:{Environment.NewLine}" + string.Join(Environment.NewLine, problems.Select(p => "  " + p)))
{
    public IReadOnlyList<DefinitionProblem> Problems { get; } = problems;
}
