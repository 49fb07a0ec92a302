using Delegation.Grants;
using Delegation.Storage.Postgres;

namespace Delegation.Tests.Storage;

/// <summary>Several stores on one database stand in for several silos: each has its own pool and listener.</summary>
public sealed partial class PostgresEventStoreTests
{
    /// <summary>A wait that something should end; the test fails (cancelled) if nothing ends it by then.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Two_stores_on_one_database_share_one_gap_free_feed_in_commit_order()
    {
        var other = await OpenAsync(ConnectionString);
        var trees = Enumerable.Range(0, 6).Select(_ => GrantId.NewRoot()).ToArray();
        var writers = Enumerable.Range(0, 12).Select(i => i % 2 == 0 ? Store : other).ToArray();

        var results = await HammerAsync(writers, trees, appendsPerWriter: 15);

        var third = await OpenAsync(ConnectionString);
        await AssertFeedIsExactAsync(third, trees, results);
        Assert.Equal(await third.GetFeedHeadAsync(), await Store.GetFeedHeadAsync());
        Assert.Equal(await third.GetFeedHeadAsync(), await other.GetFeedHeadAsync());
    }

    /// <summary>
    /// The classic trap of a sequence-numbered feed: a number that commits after a larger one. A tailer that
    /// moves its position to the last sequence it read would skip it for good. Here a tailer on a third store
    /// reads while two stores hammer the database, and every page it gets must continue exactly where it stood.
    /// </summary>
    [Fact]
    public async Task A_tailer_reading_while_two_stores_append_never_skips_an_event()
    {
        var other = await OpenAsync(ConnectionString);
        var reader = await OpenAsync(ConnectionString);
        var trees = Enumerable.Range(0, 8).Select(_ => GrantId.NewRoot()).ToArray();
        var writers = Enumerable.Range(0, 16).Select(i => i % 2 == 0 ? Store : other).ToArray();
        var total = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var patience = new CancellationTokenSource(Patience);

        var tailer = Task.Run(async () =>
        {
            var position = 0L;
            var pages = 0;
            while (!total.Task.IsCompleted || position < total.Task.Result)
            {
                var page = await reader.ReadFeedAsync(position, 7, patience.Token);
                foreach (var stored in page)
                {
                    Assert.Equal(position + 1, stored.Seq);
                    position = stored.Seq;
                }

                pages += page.Count > 0 ? 1 : 0;
                if (page.Count == 0)
                {
                    await reader.WaitForAppendAsync(position, TimeSpan.FromMilliseconds(100), patience.Token);
                }
            }

            return (position, pages);
        });
        var results = await HammerAsync(writers, trees, appendsPerWriter: 20);
        total.SetResult(results.SelectMany(r => r).Sum(r => (long)r.Events.Count));

        var (position, pages) = await tailer.WaitAsync(patience.Token);

        Assert.Equal(await total.Task, position);
        Assert.True(pages > 1, "The tailer should have read while the appends were still going on.");
        await AssertFeedIsExactAsync(reader, trees, results);
    }

    [Fact]
    public async Task Two_stores_on_one_database_let_exactly_one_append_win_at_the_same_expected_version()
    {
        var other = await OpenAsync(ConnectionString);
        var tree = GrantId.NewRoot();
        await AppendAsync(tree, 0, Markers("first", 1));

        var results = await RaceAsync(Enumerable.Range(0, 16).Select(i => i % 2 == 0 ? Store : other).ToArray(), tree, 1);

        Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(2, r.CurrentVersion));
        Assert.Equal([1L, 2], (await other.ReadTreeAsync(tree)).Select(e => e.Seq));
    }

    [Fact]
    public async Task Two_stores_creating_the_same_new_tree_at_once_let_exactly_one_win()
    {
        var other = await OpenAsync(ConnectionString);
        var tree = GrantId.NewRoot();

        var results = await RaceAsync(Enumerable.Range(0, 16).Select(i => i % 2 == 0 ? Store : other).ToArray(), tree, 0);

        var winner = Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(1, r.CurrentVersion));
        Assert.Equal(MarkerIds(winner.Events), MarkerIds(await other.ReadTreeAsync(tree)));
        Assert.Equal(1, await other.GetFeedHeadAsync());
    }

    [Fact]
    public async Task Several_stores_initializing_one_new_database_at_once_migrate_it_once()
    {
        var database = await NewDatabaseAsync();
        var stores = Enumerable.Range(0, 6).Select(_ => Track(new PostgresEventStore(database))).ToArray();

        await Task.WhenAll(stores.Select(s => Task.Run(() => s.InitializeAsync())));

        Assert.Equal((long)PostgresSchema.LatestVersion, await PostgresTestServer.ScalarAsync(database, "SELECT COUNT(*) FROM schema_version;"));
        await AppendAsync(stores[3], GrantId.NewRoot(), 0, Markers("x", 1));
        Assert.All(await Task.WhenAll(stores.Select(s => s.GetFeedHeadAsync())), head => Assert.Equal(1, head));
    }

    [Fact]
    public async Task An_append_through_one_store_wakes_a_waiter_of_another()
    {
        var other = await OpenAsync(ConnectionString);
        using var patience = new CancellationTokenSource(Patience);

        // A long timeout: only the notification can end this wait before the patience cancels it (and fails the test).
        var wait = other.WaitForAppendAsync(0, TimeSpan.FromMinutes(10), patience.Token);
        await AppendAsync(GrantId.NewRoot(), 0, Markers("wake", 1));
        await wait;

        Assert.Equal(1, await other.GetFeedHeadAsync());
    }

    [Fact]
    public async Task A_waiter_is_still_woken_after_the_listening_connections_are_killed()
    {
        var other = await OpenAsync(ConnectionString);
        var tree = GrantId.NewRoot();
        using var patience = new CancellationTokenSource(Patience);
        var killed = await PostgresTestServer.ScalarAsync(
            ConnectionString,
            "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %';");
        Assert.Equal(2L, killed);

        // Each wait ends by the listener's pulse once it has reconnected, or by the notification it then hears.
        for (var version = 0; version < 3; version++)
        {
            var wait = other.WaitForAppendAsync(version, TimeSpan.FromMinutes(10), patience.Token);
            await AppendAsync(tree, version, Markers($"after-kill-{version}", 1));
            await wait;
        }

        Assert.Equal(3, await other.GetFeedHeadAsync());
    }
}
