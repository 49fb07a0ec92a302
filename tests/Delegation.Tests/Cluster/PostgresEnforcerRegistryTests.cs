using Delegation.Grains.Enforcers;
using Delegation.Storage.Postgres;
using Delegation.Tests.Storage;

namespace Delegation.Tests.Cluster;

/// <summary>
/// The shared enforcer registry contract on PostgreSQL: two registries on one database stand in for two silos.
/// Needs <c>DELEGATION_TEST_POSTGRES</c>; fails without it.
/// </summary>
public sealed class PostgresEnforcerRegistryTests : SharedEnforcerRegistryContractTests
{
    private string _database = null!;
    private string _connectionString = null!;

    public override async Task InitializeAsync() => (_database, _connectionString) = await PostgresTestServer.CreateDatabaseAsync();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await PostgresTestServer.DropDatabaseAsync(_database);
    }

    protected override async Task<IEnforcerRegistry> OpenAsync(string silo) =>
        await TrackAsync(new PostgresEnforcerRegistry(_connectionString, silo, new SharedEnforcerRegistryOptions { LivenessTimeout = TimeSpan.FromSeconds(5) }));

    protected override Task MakeStaleAsync(string silo) =>
        PostgresTestServer.ScalarAsync(_connectionString, $"UPDATE enforcer_streams SET last_seen = now() - interval '1 minute' WHERE silo = '{silo}';");

    protected override Task AgeEnforcersAsync(TimeSpan by) => PostgresTestServer.ScalarAsync(
        _connectionString,
        $"UPDATE enforcers SET connected_at = connected_at - interval '{(long)by.TotalSeconds} seconds', last_ack_at = last_ack_at - interval '{(long)by.TotalSeconds} seconds';");

    protected override Task ForgetStreamsAsync() => PostgresTestServer.ScalarAsync(_connectionString, "DELETE FROM enforcer_streams;");

    protected override async Task<long> CountStreamsAsync() =>
        (long)(await PostgresTestServer.ScalarAsync(_connectionString, "SELECT COUNT(*) FROM enforcer_streams;"))!;
}
