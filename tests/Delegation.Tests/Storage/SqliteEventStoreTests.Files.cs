using Delegation.Grants;
using Delegation.Storage.Sqlite;

namespace Delegation.Tests.Storage;

public sealed partial class SqliteEventStoreTests
{
    [Fact]
    public async Task Events_appended_before_a_crash_survive_in_the_database_and_wal_files()
    {
        // What is on disk at the instant of a kill -9: the database file and its WAL, copied while the store
        // is still open (never disposed, so never checkpointed or closed cleanly), without the -shm index.
        var path = FileOf(Store);
        var tree = GrantId.NewRoot();
        const int count = 50;
        for (var i = 0; i < count; i++)
        {
            await AppendAsync(tree, i, Markers($"crash-{i}", 1));
        }

        Assert.True(new FileInfo(path + "-wal").Length > 0, "The appends should still be in the WAL, not yet checkpointed.");
        var crashed = Path.Combine(_directory, "after-crash", "copy.db");
        Directory.CreateDirectory(Path.GetDirectoryName(crashed)!);
        File.Copy(path, crashed);
        File.Copy(path + "-wal", crashed + "-wal");

        var recovered = await OpenAsync(crashed);

        var events = await recovered.ReadTreeAsync(tree);
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"crash-{i}-0"), MarkerIds(events));
        Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), events.Select(e => e.Seq));
        Assert.Equal(count, await recovered.GetFeedHeadAsync());
    }

    [Fact]
    public async Task A_missing_directory_is_created()
    {
        var path = Path.Combine(_directory, "new", "nested", "delegation.db");

        var store = await OpenAsync(path);
        await AppendAsync(store, GrantId.NewRoot(), 0, Markers("x", 1));

        Assert.True(File.Exists(path));
    }

    [Theory]
    [InlineData("a directory")]
    [InlineData("under a file")]
    [InlineData("not a database")]
    public async Task A_file_that_cannot_be_opened_fails_with_a_message_naming_the_path(string problem)
    {
        Directory.CreateDirectory(_directory);
        var blocker = Path.Combine(_directory, "blocker");
        var path = problem switch
        {
            "a directory" => Directory.CreateDirectory(blocker).FullName,
            "under a file" => Path.Combine(blocker, "delegation.db"),
            _ => blocker,
        };
        if (problem != "a directory")
        {
            await File.WriteAllTextAsync(blocker, new string('x', 4096));
        }

        await using var store = new SqliteEventStore(new SqliteStoreOptions { FilePath = path });
        var error = await Assert.ThrowsAsync<IOException>(() => store.InitializeAsync());

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_with_a_newer_schema_is_refused_with_a_message_naming_the_path()
    {
        var path = FileOf(Store);
        await using (var connection = await OpenRawAsync(path))
        {
            await ScalarAsync(connection, "INSERT INTO schema_version (version) VALUES (999);");
        }

        await using var store = new SqliteEventStore(new SqliteStoreOptions { FilePath = path });
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.InitializeAsync());

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("999", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_options_report_every_problem_at_once()
    {
        var options = new SqliteStoreOptions { FilePath = " ", BusyTimeout = TimeSpan.Zero };

        Assert.Equal(2, options.Validate().Count);
        var error = Assert.Throws<ArgumentException>(() => new SqliteEventStore(options));
        Assert.Contains(nameof(SqliteStoreOptions.FilePath), error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(SqliteStoreOptions.BusyTimeout), error.Message, StringComparison.Ordinal);
        Assert.Empty(new SqliteStoreOptions().Validate());
    }
}
