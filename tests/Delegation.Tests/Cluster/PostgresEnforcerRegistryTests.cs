using Delegation.Grains.Enforcers;
using Delegation.Api;
using Delegation.Storage.Postgres;
using Delegation.Tests.Storage;

namespace Delegation.Tests.Cluster;

/// <summary>
/// The enforcer registry two silos share through PostgreSQL: two registries on one database stand in for two
/// silos. Needs <c>DELEGATION_TEST_POSTGRES</c>; fails without it.
/// </summary>
public sealed class PostgresEnforcerRegistryTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly List<PostgresEnforcerRegistry> _registries = [];
    private string _database = null!;
    private string _connectionString = null!;

    public async Task InitializeAsync() => (_database, _connectionString) = await PostgresTestServer.CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        foreach (var registry in _registries)
        {
            await registry.DisposeAsync();
        }

        await PostgresTestServer.DropDatabaseAsync(_database);
    }

    [Fact]
    public async Task A_wait_on_one_silo_ends_when_an_enforcer_of_the_other_acknowledges()
    {
        var a = await OpenAsync("silo-a");
        var b = await OpenAsync("silo-b");
        await using var stream = await b.ConnectAsync("gateway-1");

        var wait = a.WaitForAsync(7, Patience);
        await b.AcknowledgeAsync("gateway-1", 6);
        await b.AcknowledgeAsync("gateway-1", 7);
        var propagation = await wait.WaitAsync(Patience);

        Assert.Equal((1, 1, false), (propagation.Acked, propagation.Total, propagation.TimedOut));
        var listed = Assert.Single(await a.ListAsync(10));
        Assert.Equal(("gateway-1", true, 7L, 3L, "silo-b"), (listed.Name, listed.Connected, listed.AckedSeq, listed.Lag, listed.Silo));
    }

    [Fact]
    public async Task An_acknowledgement_never_moves_an_enforcer_back()
    {
        var a = await OpenAsync("silo-a");
        await using var stream = await a.ConnectAsync("gateway-1");

        await a.AcknowledgeAsync("gateway-1", 9);
        await a.AcknowledgeAsync("gateway-1", 4);

        Assert.Equal(9, Assert.Single(await a.ListAsync(9)).AckedSeq);
    }

    [Fact]
    public async Task The_enforcers_of_a_silo_that_stopped_refreshing_them_stop_being_waited_for()
    {
        var a = await OpenAsync("silo-a");
        var b = await OpenAsync("silo-b");
        await using var onA = await a.ConnectAsync("gateway-a");
        await using var onB = await b.ConnectAsync("gateway-b");
        await a.AcknowledgeAsync("gateway-a", 5);

        var wait = a.WaitForAsync(5, Patience);
        Assert.False(wait.IsCompleted);

        // silo-b dies: its streams' last heartbeat falls behind the liveness timeout.
        await PostgresTestServer.ScalarAsync(_connectionString, "UPDATE enforcer_streams SET last_seen = now() - interval '1 minute' WHERE silo = 'silo-b';");
        var propagation = await wait.WaitAsync(Patience);

        Assert.Equal((1, 2, false), (propagation.Acked, propagation.Total, propagation.TimedOut));
        Assert.Equal([("gateway-a", true), ("gateway-b", false)], (await a.ListAsync(5)).Select(e => (e.Name, e.Connected)));
        Assert.Equal(1, (await a.WaitForAsync(6, TimeSpan.FromMilliseconds(1))).Total);
    }

    [Fact]
    public async Task A_heartbeat_writes_the_silos_open_streams_again_and_a_restarted_silo_forgets_its_old_ones()
    {
        var a = await OpenAsync("silo-a");
        var stream = await a.ConnectAsync("gateway-1");
        await PostgresTestServer.ScalarAsync(_connectionString, "DELETE FROM enforcer_streams;");
        Assert.False(Assert.Single(await a.ListAsync(0)).Connected);

        Assert.Equal(1, await a.HeartbeatAsync());
        Assert.True(Assert.Single(await a.ListAsync(0)).Connected);

        var restarted = await OpenAsync("silo-a");
        Assert.False(Assert.Single(await restarted.ListAsync(0)).Connected);
        await stream.DisposeAsync();
        Assert.Equal(0, await a.HeartbeatAsync());
        Assert.Equal(0L, await PostgresTestServer.ScalarAsync(_connectionString, "SELECT COUNT(*) FROM enforcer_streams;"));
    }

    [Fact]
    public async Task Without_live_enforcers_a_wait_returns_at_once_and_a_silent_one_times_out()
    {
        var a = await OpenAsync("silo-a");
        Assert.Equal(new PropagationView(0, 0, 0, false), (await a.WaitForAsync(3, Patience)) with { ElapsedMs = 0 });

        await using var stream = await a.ConnectAsync("silent");
        var timedOut = await a.WaitForAsync(3, TimeSpan.FromMilliseconds(300));

        Assert.Equal((0, 1, true), (timedOut.Acked, timedOut.Total, timedOut.TimedOut));
    }

    private async Task<PostgresEnforcerRegistry> OpenAsync(string silo)
    {
        var registry = new PostgresEnforcerRegistry(_connectionString, silo, new SharedEnforcerRegistryOptions { LivenessTimeout = TimeSpan.FromSeconds(5) });
        _registries.Add(registry);
        await registry.InitializeAsync();
        return registry;
    }
}
