using Delegation.Grants;
using Delegation.Storage.Sqlite;

namespace Delegation.Tests.Storage;

/// <summary>Two stores on one file stand in for two processes: each has its own writer connection and lock.</summary>
public sealed partial class SqliteEventStoreTests
{
    [Fact]
    public async Task Two_stores_on_one_file_share_one_gap_free_feed()
    {
        var path = FileOf(Store);
        var other = await OpenAsync(path);
        var trees = Enumerable.Range(0, 6).Select(_ => GrantId.NewRoot()).ToArray();
        var writers = Enumerable.Range(0, 12).Select(i => i % 2 == 0 ? Store : other).ToArray();

        var results = await HammerAsync(writers, trees, appendsPerWriter: 15);

        var third = await OpenAsync(path);
        await AssertFeedIsExactAsync(third, trees, results);
        Assert.Equal(await third.GetFeedHeadAsync(), await Store.GetFeedHeadAsync());
        Assert.Equal(await third.GetFeedHeadAsync(), await other.GetFeedHeadAsync());
    }

    [Fact]
    public async Task Two_stores_on_one_file_let_exactly_one_append_win_at_the_same_expected_version()
    {
        var other = await OpenAsync(FileOf(Store));
        var tree = GrantId.NewRoot();
        await AppendAsync(tree, 0, Markers("first", 1));

        var results = await RaceAsync(Enumerable.Range(0, 16).Select(i => i % 2 == 0 ? Store : other).ToArray(), tree, 1);

        Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(2, r.CurrentVersion));
        Assert.Equal([1L, 2], (await other.ReadTreeAsync(tree)).Select(e => e.Seq));
    }

    [Fact]
    public async Task Several_stores_initializing_one_new_file_at_once_migrate_it_once()
    {
        var path = Path.Combine(_directory, "shared-start.db");
        var stores = Enumerable.Range(0, 6)
            .Select(_ => Track(new SqliteEventStore(new SqliteStoreOptions { FilePath = path })))
            .ToArray();

        await Task.WhenAll(stores.Select(s => Task.Run(() => s.InitializeAsync())));

        await using var connection = await OpenRawAsync(path);
        Assert.Equal(1L, await ScalarAsync(connection, "SELECT COUNT(*) FROM schema_version;"));
        await AppendAsync(stores[3], GrantId.NewRoot(), 0, Markers("x", 1));
        Assert.Equal(1, await stores[0].GetFeedHeadAsync());
    }
}
