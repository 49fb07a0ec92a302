using Delegation.Storage.Postgres;
using Npgsql;

namespace Delegation.Tests.Storage;

/// <summary>
/// Silos on one database must be one Orleans cluster: a loopback silo holds the membership lock alone, cluster
/// members share it, and neither kind starts beside the other.
/// </summary>
public sealed class PostgresMembershipLockTests : IAsyncLifetime
{
    private string _database = string.Empty;
    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        (_database, var connectionString) = await PostgresTestServer.CreateDatabaseAsync();
        _dataSource = NpgsqlDataSource.Create(connectionString);
    }

    public async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await PostgresTestServer.DropDatabaseAsync(_database);
    }

    [Fact]
    public async Task A_second_loopback_silo_on_one_database_is_refused_until_the_first_stops()
    {
        var first = await PostgresMembershipLock.AcquireAsync(_dataSource, shared: false);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresMembershipLock.AcquireAsync(_dataSource, shared: false));
        Assert.Contains("Delegation:Cluster=redis", refused.Message, StringComparison.Ordinal);

        await first.DisposeAsync();
        await (await PostgresMembershipLock.AcquireAsync(_dataSource, shared: false)).DisposeAsync();
    }

    [Fact]
    public async Task Cluster_members_share_the_database_and_a_loopback_silo_cannot_join_them_nor_they_it()
    {
        var a = await PostgresMembershipLock.AcquireAsync(_dataSource, shared: true);
        var b = await PostgresMembershipLock.AcquireAsync(_dataSource, shared: true);

        await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresMembershipLock.AcquireAsync(_dataSource, shared: false));

        await a.DisposeAsync();
        await b.DisposeAsync();
        await using var alone = await PostgresMembershipLock.AcquireAsync(_dataSource, shared: false);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresMembershipLock.AcquireAsync(_dataSource, shared: true));
        Assert.Contains("Delegation:Cluster=localhost", refused.Message, StringComparison.Ordinal);
    }
}
