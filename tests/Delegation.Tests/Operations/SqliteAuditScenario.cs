namespace Delegation.Tests.Operations;

/// <summary>The audit scenario on a silo with the SQLite store and decision log, in a temporary data directory.</summary>
public sealed class SqliteAuditScenario : AuditScenario
{
    /// <summary>The data directory every silo of this scenario uses (so a new one reopens the same files).</summary>
    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "delegation-tests", "ops-sqlite-" + Guid.NewGuid().ToString("N"));

    public override OpsSilo CreateSilo() => new(new OpsSiloOptions { Store = "sqlite", Time = Clock, DataDir = DataDir });

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(DataDir))
        {
            Directory.Delete(DataDir, recursive: true);
        }
    }
}
