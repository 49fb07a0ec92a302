using System.Diagnostics;
using Delegation.Tests.Storage;

namespace Delegation.Tests.Cluster;

using Process = System.Diagnostics.Process;

/// <summary>
/// A fresh database on the throwaway test server for one cluster test, dropped afterwards; and, for the fault tests,
/// stopping and starting that server's postmaster through <c>scripts/test-postgres.sh pause|resume</c>.
/// </summary>
public sealed class ClusterDatabase : IAsyncDisposable
{
    private ClusterDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    /// <summary>The database name.</summary>
    public string Name { get; }

    /// <summary>Its connection string.</summary>
    public string ConnectionString { get; }

    /// <summary>Creates an empty database.</summary>
    public static async Task<ClusterDatabase> CreateAsync()
    {
        var (name, connectionString) = await PostgresTestServer.CreateDatabaseAsync();
        return new ClusterDatabase(name, connectionString);
    }

    /// <summary>Stops the whole test server (fast shutdown: open transactions roll back), keeping its data and port.</summary>
    public static Task PauseServerAsync() => RunScriptAsync("pause");

    /// <summary>Starts the server stopped by <see cref="PauseServerAsync"/> again, on the same port.</summary>
    public static Task ResumeServerAsync() => RunScriptAsync("resume");

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await PostgresTestServer.DropDatabaseAsync(Name);

    private static async Task RunScriptAsync(string command)
    {
        var script = Path.Combine(RepositoryRoot(), "scripts", "test-postgres.sh");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(command);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        Assert.True(
            process.ExitCode == 0,
            $"scripts/test-postgres.sh {command} failed ({process.ExitCode}); the fault tests need the server that script started " +
            $"(DELEGATION_PG_STATE names its state): {await stdout}{await stderr}");
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Delegation.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Delegation.sln not found.");
    }
}
