namespace Delegation.Tests.Dashboard;

/// <summary>Paths in the repository the tests run from.</summary>
public static class RepositoryPaths
{
    /// <summary>The folder holding Delegation.sln, found above the test's output folder.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The dashboard's front-end project (its node_modules exist once the silo is built).</summary>
    public static string DashboardApp => Path.Combine(Root, "silo", "Dashboard", "app");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Delegation.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Delegation.sln not found above the test's output folder.");
    }
}
