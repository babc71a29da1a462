using Amazon.CDK;

namespace OrderFlow.Infra;

/// <summary>The parameters of an OrderFlow deployment. Every name derives from <see cref="Prefix"/>.</summary>
public sealed class OrderFlowStackProps : StackProps
{
    /// <summary>Prefix of every resource name (lowercase letters, digits, hyphens). Default: "orderflow".</summary>
    public string Prefix { get; init; } = "orderflow";

    /// <summary>The folder with the repository's <c>definitions/</c>: the single source of truth. Required.</summary>
    public required string DefinitionsDirectory { get; init; }

    /// <summary>The validate-order function's package: the output of <c>dotnet publish src/OrderFlow.Orders -f net8.0</c>. Required.</summary>
    public required string LambdaPackage { get; init; }
}
