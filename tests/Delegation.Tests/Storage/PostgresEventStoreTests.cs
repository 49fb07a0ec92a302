using Delegation.Events;
using Delegation.Grains.Storage;
using Delegation.Grants;
using Delegation.Storage.Postgres;
using Npgsql;

namespace Delegation.Tests.Storage;

/// <summary>
/// The store contract against PostgreSQL, each test on a database of its own, plus what only a shared server
/// can show. Needs <c>DELEGATION_TEST_POSTGRES</c> (see <see cref="PostgresTestServer"/>); fails without it.
/// </summary>
public sealed partial class PostgresEventStoreTests : EventStoreConformanceTests
{
    private readonly List<string> _databases = [];
    private string? _connectionString;

    /// <summary>The connection string of this test's database (created with the first store).</summary>
    private string ConnectionString => _connectionString ?? throw new InvalidOperationException("No database yet.");

    protected override async Task<IEventStore> CreateStoreAsync()
    {
        _connectionString ??= await NewDatabaseAsync();
        return await OpenAsync(_connectionString);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var database in _databases)
        {
            await PostgresTestServer.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task Data_survives_dispose_and_reopen()
    {
        var tree = GrantId.NewRoot();
        var events = SampleEvents.OneOfEach(tree);
        var created = (GrantCreated)events[0];
        var delegated = (GrantDelegated)events[1];
        var due = SampleEvents.T0.AddMinutes(5);
        await Store.AppendAsync(tree, 0, events, SampleEvents.T0, due);
        var before = await Store.ReadFeedAsync(0, 100);
        await ((PostgresEventStore)Store).DisposeAsync();

        var reopened = await OpenAsync(ConnectionString);

        var after = await reopened.ReadFeedAsync(0, 100);
        Assert.Equal(before.Count, after.Count);
        foreach (var (expected, actual) in before.Zip(after))
        {
            EventAssert.Equal(expected, actual);
        }

        Assert.Equal(events.Count, await reopened.GetFeedHeadAsync());
        Assert.Equal([tree], await reopened.FindTreesDueAsync(due, 10));
        Assert.Equal([new GrantLocator(delegated.Grant.Id, tree)], await reopened.FindGrantsByAgentAsync(delegated.Grant.Agent));
        Assert.Equal([new GrantLocator(tree, tree)], await reopened.FindRootGrantsByUserAsync(created.Grant.User));
        Assert.False((await reopened.AppendAsync(tree, 1, Markers("stale", 1), SampleEvents.T0, null)).Succeeded);
        var next = await AppendAsync(reopened, tree, events.Count, Markers("next", 1));
        Assert.Equal((events.Count + 1L, events.Count + 1L), (next.Events[0].Seq, next.Events[0].Version));
    }

    [Fact]
    public async Task A_disposed_store_refuses_further_use()
    {
        var store = (PostgresEventStore)Store;
        await store.DisposeAsync();
        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.GetFeedHeadAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(
            () => store.AppendAsync(GrantId.NewRoot(), 0, Markers("late", 1), SampleEvents.T0, null));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.InitializeAsync());
    }

    [Fact]
    public async Task A_store_used_before_InitializeAsync_says_so_and_names_the_database()
    {
        await using var store = new PostgresEventStore(ConnectionString);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.GetFeedHeadAsync());

        Assert.Contains(nameof(IEventStore.InitializeAsync), error.Message, StringComparison.Ordinal);
        Assert.Contains(_databases[0], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_schema_is_migrated_once_and_the_feed_head_is_one_row()
    {
        Assert.Equal((long)PostgresSchema.LatestVersion, await PostgresTestServer.ScalarAsync(ConnectionString, "SELECT COUNT(*) FROM schema_version;"));
        Assert.Equal(1L, await PostgresTestServer.ScalarAsync(ConnectionString, "SELECT COUNT(*) FROM feed_head;"));
    }

    [Fact]
    public async Task A_database_with_a_newer_schema_is_refused_with_a_message_naming_it()
    {
        await PostgresTestServer.ScalarAsync(ConnectionString, "INSERT INTO schema_version (version) VALUES (999);");

        await using var store = new PostgresEventStore(ConnectionString);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.InitializeAsync());

        Assert.Contains(_databases[0], error.Message, StringComparison.Ordinal);
        Assert.Contains("999", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_fails_InitializeAsync_without_leaking_the_password()
    {
        var unreachable = new NpgsqlConnectionStringBuilder(ConnectionString)
        {
            Host = "127.0.0.1",
            Port = 1,
            Password = "not-to-be-shown",
            Timeout = 2,
        }.ConnectionString;
        await using var store = new PostgresEventStore(unreachable, new PostgresStoreOptions { MaxAttempts = 1 });

        var error = await Assert.ThrowsAnyAsync<NpgsqlException>(() => store.InitializeAsync());

        Assert.DoesNotContain("not-to-be-shown", error.ToString(), StringComparison.Ordinal);
        Assert.Equal("127.0.0.1:1/" + _databases[0], store.Database);
    }

    [Fact]
    public async Task Idle_connections_the_server_killed_are_replaced()
    {
        var tree = GrantId.NewRoot();
        await AppendAsync(tree, 0, Markers("before", 1));
        Assert.Equal(1, await Store.GetFeedHeadAsync());

        // Like a server restart as seen from the pool: every connection of this database ends, idle ones too.
        var killed = await PostgresTestServer.ScalarAsync(
            ConnectionString,
            "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid();");
        Assert.True((long)killed! >= 2, "The pooled connection and the listener should have been connected.");

        var after = await AppendAsync(tree, 1, Markers("after", 1));

        Assert.Equal((2L, 2L), (after.Events[0].Seq, after.Events[0].Version));
        Assert.Equal(["before-0", "after-0"], MarkerIds(await Store.ReadTreeAsync(tree)));
    }

    [Fact]
    public async Task An_append_whose_connection_dies_before_commit_is_retried_and_written_once()
    {
        var tree = GrantId.NewRoot();
        await AppendAsync(tree, 0, Markers("before", 1));
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var blocker = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await blocker.OpenAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand($"SELECT version FROM trees WHERE tree_id = '{tree}' FOR UPDATE;", blocker))
        {
            await command.ExecuteScalarAsync();
        }

        // The append waits for the tree's row lock inside its transaction; kill its connection right there.
        var append = Store.AppendAsync(tree, 1, Markers("after", 1), SampleEvents.T0, null);
        while ((long)(await PostgresTestServer.ScalarAsync(
            ConnectionString,
            "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock';"))! == 0)
        {
            await Task.Delay(10, patience.Token); // until the append is seen waiting; the patience bounds it
        }

        await transaction.RollbackAsync();
        var result = await append.WaitAsync(patience.Token);

        Assert.True(result.Succeeded);
        Assert.Equal((2L, 2L), (result.Events[0].Seq, result.Events[0].Version));
        Assert.Equal(["before-0", "after-0"], MarkerIds(await Store.ReadTreeAsync(tree)));
        Assert.Equal(2, await Store.GetFeedHeadAsync());
    }

    [Fact]
    public void Invalid_options_report_every_problem_at_once()
    {
        var options = new PostgresStoreOptions { MaxAttempts = 0, RetryDelay = TimeSpan.Zero, ListenerProbeInterval = TimeSpan.FromDays(-1) };

        Assert.Equal(3, options.Validate().Count);
        var error = Assert.Throws<ArgumentException>(() => new PostgresEventStore(ConnectionString, options));
        Assert.Contains(nameof(PostgresStoreOptions.MaxAttempts), error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(PostgresStoreOptions.RetryDelay), error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(PostgresStoreOptions.ListenerProbeInterval), error.Message, StringComparison.Ordinal);
        Assert.Empty(new PostgresStoreOptions().Validate());
    }

    /// <summary>A new, empty database for this test, dropped after it.</summary>
    private async Task<string> NewDatabaseAsync()
    {
        var (name, connectionString) = await PostgresTestServer.CreateDatabaseAsync();
        _databases.Add(name);
        return connectionString;
    }

    /// <summary>Another store (another silo, as far as the database can tell) on <paramref name="connectionString"/>.</summary>
    private async Task<PostgresEventStore> OpenAsync(string connectionString)
    {
        var store = Track(new PostgresEventStore(connectionString));
        await store.InitializeAsync();
        return store;
    }
}
