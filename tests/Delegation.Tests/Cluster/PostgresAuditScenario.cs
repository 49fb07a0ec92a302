using Delegation.Tests.Operations;
using Delegation.Tests.Storage;

namespace Delegation.Tests.Cluster;

/// <summary>The audit scenario on a silo with the PostgreSQL store and decision log, on a database of its own.</summary>
public sealed class PostgresAuditScenario : AuditScenario
{
    private readonly Lazy<(string Name, string ConnectionString)> _database =
        new(() => PostgresTestServer.CreateDatabaseAsync().GetAwaiter().GetResult());

    public override OpsSilo CreateSilo() =>
        new(new OpsSiloOptions { Store = "postgres", PostgresConnectionString = _database.Value.ConnectionString, Time = Clock });

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database.IsValueCreated)
        {
            await PostgresTestServer.DropDatabaseAsync(_database.Value.Name);
        }
    }
}
