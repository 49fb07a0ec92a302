using Delegation.Events;
using Delegation.Grains.Storage;
using Delegation.Grants;
using Delegation.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Delegation.Tests.Storage;

/// <summary>The store contract against SQLite, each test in its own temporary directory, plus what only a file can show.</summary>
public sealed partial class SqliteEventStoreTests : EventStoreConformanceTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "delegation-tests", "sqlite-" + Guid.NewGuid().ToString("N"));
    private int _files;

    protected override async Task<IEventStore> CreateStoreAsync() =>
        await OpenAsync(Path.Combine(_directory, $"store-{Interlocked.Increment(ref _files)}.db"));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Data_survives_dispose_and_reopen_of_the_same_file()
    {
        var path = FileOf(Store);
        var tree = GrantId.NewRoot();
        var events = SampleEvents.OneOfEach(tree);
        var created = (GrantCreated)events[0];
        var delegated = (GrantDelegated)events[1];
        var due = SampleEvents.T0.AddMinutes(5);
        await Store.AppendAsync(tree, 0, events, SampleEvents.T0, due);
        var before = await Store.ReadFeedAsync(0, 100);
        await ((SqliteEventStore)Store).DisposeAsync();

        var reopened = await OpenAsync(path);

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
        var store = (SqliteEventStore)Store;
        await store.DisposeAsync();
        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.GetFeedHeadAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(
            () => store.AppendAsync(GrantId.NewRoot(), 0, Markers("late", 1), SampleEvents.T0, null));
    }

    [Fact]
    public async Task A_store_used_before_InitializeAsync_says_so()
    {
        await using var store = new SqliteEventStore(new SqliteStoreOptions { FilePath = Path.Combine(_directory, "uninitialized.db") });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.GetFeedHeadAsync());
        Assert.Contains(nameof(IEventStore.InitializeAsync), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_file_is_in_WAL_mode_with_one_migration_recorded()
    {
        await using var connection = await OpenRawAsync(FileOf(Store));

        Assert.Equal("wal", await ScalarAsync(connection, "PRAGMA journal_mode;"));
        Assert.Equal(1L, await ScalarAsync(connection, "SELECT COUNT(*) FROM schema_version;"));
    }

    private async Task<SqliteEventStore> OpenAsync(string path)
    {
        var store = Track(new SqliteEventStore(new SqliteStoreOptions { FilePath = path }));
        await store.InitializeAsync();
        return store;
    }

    private static string FileOf(IEventStore store) => ((SqliteEventStore)store).FilePath;

    private static async Task<SqliteConnection> OpenRawAsync(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
