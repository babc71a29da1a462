namespace OrderFlow.Tests.Shared;

/// <summary>The checkout the tests run from: the folder holding OrderFlow.slnx, above the test binaries.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "OrderFlow.slnx")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException("The repository root (OrderFlow.slnx) is not above the test binaries");
    }
}
