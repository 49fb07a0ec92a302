namespace Delegation.LoadTest.Cli;

/// <summary>
/// Default output paths, relative to the repository root (the folder holding Delegation.sln) rather than the working
/// directory, which <c>dotnet run --project</c> may set to the project's folder.
/// </summary>
public static class RepositoryPaths
{
    private const string SolutionFile = "Delegation.sln";

    /// <summary>The repository root, or the working directory when no solution is found above it or the binary.</summary>
    public static string Root { get; } = Find(Environment.CurrentDirectory) ?? Find(AppContext.BaseDirectory) ?? Environment.CurrentDirectory;

    /// <summary>Where scenario reports go by default: artifacts/loadtest.</summary>
    public static string Results => Path.Combine(Root, "artifacts", "loadtest");

    /// <summary>The published report: docs/performance.md.</summary>
    public static string PerformanceDoc => Path.Combine(Root, "docs", "performance.md");

    private static string? Find(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
