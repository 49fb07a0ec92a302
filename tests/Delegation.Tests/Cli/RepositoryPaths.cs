namespace Delegation.Tests.Cli;

/// <summary>Where the built silo and CLI are: beside this test assembly's repository, in the same configuration.</summary>
internal static class RepositoryPaths
{
    private const string TargetFramework = "net10.0";

    /// <summary>The directory holding <c>Delegation.sln</c>, found by walking up from the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the configuration this test assembly was built in (its bin/&lt;Configuration&gt;/net10.0 folder).</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static string SiloDll => Built(Path.Combine("silo", "bin"), "Delegation.Silo.dll");

    public static string CliDll => Built(Path.Combine("client", "Delegation.Cli", "bin"), "delegation.dll");

    /// <summary>The <c>dotnet</c> host running these tests (the SDK sets DOTNET_HOST_PATH), else the one on PATH.</summary>
    public static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    private static string Built(string bin, string file)
    {
        var path = Path.Combine(Root, bin, Configuration, TargetFramework, file);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is missing: build the solution first (cd {Root} && dotnet build Delegation.sln -c {Configuration}).", path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Delegation.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Delegation.sln above {AppContext.BaseDirectory}.");
    }
}
