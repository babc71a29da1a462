using System.Text.RegularExpressions;
using Xunit;

namespace OrderFlow.Cli.Tests;

/// <summary>
/// Every page the code, the definitions and the documentation send a reader to exists: an error message that says
/// "see docs/..." must not point at nothing (one did, for unsupported order files).
/// </summary>
public sealed partial class DocumentationLinksTests
{
    private static readonly string[] SearchedExtensions = [".cs", ".json", ".md"];

    [Fact]
    public void DocsReferences_InSourcesDefinitionsAndDocs_NameExistingFiles()
    {
        var root = RepositoryRoot.Path;
        var missing = new List<string>();
        foreach (var file in SearchedFiles(root))
        {
            var text = File.ReadAllText(file);
            foreach (Match reference in DocsReference().Matches(text))
            {
                if (!File.Exists(Path.Combine(root, reference.Value)))
                {
                    missing.Add($"{Path.GetRelativePath(root, file)}: {reference.Value}");
                }
            }
        }
        Assert.Empty(missing);
    }

    [Fact]
    public void MarkdownLinks_ToLocalFiles_NameExistingFiles()
    {
        var root = RepositoryRoot.Path;
        var missing = new List<string>();
        foreach (var page in SearchedFiles(root).Where(file => file.EndsWith(".md", StringComparison.Ordinal)))
        {
            foreach (Match link in MarkdownLink().Matches(File.ReadAllText(page)))
            {
                var target = link.Groups["target"].Value;
                if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith('#') || target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    continue;
                }
                var path = target.Split('#')[0];
                var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, path));
                if (!File.Exists(resolved) && !Directory.Exists(resolved))
                {
                    missing.Add($"{Path.GetRelativePath(root, page)}: {target}");
                }
            }
        }
        Assert.Empty(missing);
    }

    [Fact]
    public void SearchedFiles_OfThisRepository_IncludeTheReadmeTheDefinitionAndTheSources()
    {
        var root = RepositoryRoot.Path;
        var files = SearchedFiles(root).Select(file => Path.GetRelativePath(root, file).Replace('\\', '/')).ToHashSet();

        Assert.Contains("README.md", files);
        Assert.Contains("definitions/order-pipeline.asl.json", files);
        Assert.Contains("src/OrderFlow.Orders/OrderShapes.cs", files);
        Assert.DoesNotContain(files, file => file.Contains("/bin/", StringComparison.Ordinal) || file.Contains("/obj/", StringComparison.Ordinal));
    }

    private static IEnumerable<string> SearchedFiles(string root)
    {
        var top = Directory.EnumerateFiles(root, "*.md");
        var below = new[] { "docs", "definitions", "samples", "src", "infra", "bench", "tests" }
            .Select(folder => Path.Combine(root, folder))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories));
        return top.Concat(below).Where(file =>
            SearchedExtensions.Contains(Path.GetExtension(file), StringComparer.Ordinal)
            && !IsBuildOutput(Path.GetRelativePath(root, file)));
    }

    private static bool IsBuildOutput(string relative) =>
        relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "node_modules" or "cdk.out");

    // A docs page named wherever it is written: a comment, an error message, a page.
    [GeneratedRegex(@"(?<![\w/.-])docs/[\w.-]+\.md")]
    private static partial Regex DocsReference();

    // [text](target) with a target that has no spaces; images and links alike.
    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();
}
