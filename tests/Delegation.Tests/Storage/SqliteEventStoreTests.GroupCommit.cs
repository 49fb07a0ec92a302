using Delegation.Grants;
using Microsoft.Data.Sqlite;

namespace Delegation.Tests.Storage;

/// <summary>Group commit on SQLite: appends queued behind another writer share transactions, each in a savepoint of its own.</summary>
public sealed partial class SqliteEventStoreTests
{
    [Fact]
    public async Task An_append_whose_write_fails_in_a_group_commit_fails_alone()
    {
        await using var other = await OpenRawAsync(FileOf(Store));
        await ScalarAsync(other, "CREATE TRIGGER refuse_poison BEFORE INSERT ON events WHEN NEW.data LIKE '%poison%' BEGIN SELECT RAISE(ABORT, 'refused on purpose'); END;");
        var trees = Enumerable.Range(0, 9).Select(_ => GrantId.NewRoot()).ToArray();
        var poisoned = trees[4];

        // Another writer holds SQLite's write lock, so the appends queue up and go in as few transactions as can be.
        await ScalarAsync(other, "BEGIN IMMEDIATE;");
        var appends = trees.Select(t => Store.AppendAsync(t, 0, Markers(t == poisoned ? "poison" : t, 1), SampleEvents.T0, null)).ToArray();
        await ScalarAsync(other, "COMMIT;");

        await Assert.ThrowsAsync<SqliteException>(() => appends[4]);
        var results = await Task.WhenAll(appends.Where((_, i) => i != 4));
        Assert.All(results, r => Assert.True(r.Succeeded));
        Assert.Empty(await Store.ReadTreeAsync(poisoned));
        var feed = await ReadWholeFeedAsync(Store);
        Assert.Equal(Enumerable.Range(1, trees.Length - 1).Select(i => (long)i), feed.Select(e => e.Seq));
        Assert.Equal(results.SelectMany(r => r.Events).Select(e => e.Seq).Order(), feed.Select(e => e.Seq));
    }
}
