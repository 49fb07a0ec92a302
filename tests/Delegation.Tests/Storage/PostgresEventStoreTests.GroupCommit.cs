using Delegation.Events;
using Delegation.Grains.Storage;
using Delegation.Grants;
using Npgsql;

namespace Delegation.Tests.Storage;

/// <summary>Group commit on PostgreSQL: appends queued behind a commit share the next one, and fail only as they should.</summary>
public sealed partial class PostgresEventStoreTests
{
    // A deferred constraint trigger runs at COMMIT: it refuses any transaction that wrote an event whose data
    // mentions "poison", so the COMMIT itself fails (with the server's answer: nothing was committed).
    private const string RefuseCommitsWithPoisonSql =
        """
        CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.data::text LIKE '%poison%' THEN RAISE EXCEPTION 'commit refused on purpose'; END IF;
            RETURN NULL;
        END $$;
        CREATE CONSTRAINT TRIGGER refuse_poison AFTER INSERT ON events DEFERRABLE INITIALLY DEFERRED
            FOR EACH ROW EXECUTE FUNCTION refuse_poison();
        """;

    [Fact]
    public async Task Appends_to_many_trees_queued_behind_a_commit_share_the_next_one()
    {
        var trees = Enumerable.Range(0, 17).Select(_ => GrantId.NewRoot()).ToArray();

        var outcomes = await AppendBehindHeldFeedAsync(trees, t => Markers(t, 2));

        Assert.All(outcomes, o => Assert.Equal((true, null), (o.Result.Succeeded, o.Failure)));
        var results = outcomes.Select(o => o.Result).ToArray();
        // Rows written by one transaction share its xmin: the first append committed alone, the 16 queued meanwhile together.
        Assert.Equal(2L, await PostgresTestServer.ScalarAsync(ConnectionString, "SELECT COUNT(DISTINCT xmin::text) FROM events;"));
        var feed = await ReadWholeFeedAsync(Store);
        Assert.Equal(Enumerable.Range(1, trees.Length * 2).Select(i => (long)i), feed.Select(e => e.Seq));
        Assert.Equal(results.SelectMany(r => r.Events).Select(e => (e.Seq, e.TreeId, e.Version)), feed.Select(e => (e.Seq, e.TreeId, e.Version)));
    }

    [Fact]
    public async Task An_append_whose_write_fails_in_a_group_commit_fails_alone()
    {
        await PostgresTestServer.ScalarAsync(ConnectionString, RefuseCommitsWithPoisonSql);
        var trees = Enumerable.Range(0, 9).Select(_ => GrantId.NewRoot()).ToArray();
        var poisoned = trees[4];

        var outcomes = await AppendBehindHeldFeedAsync(trees, t => Markers(t == poisoned ? "poison" : t, 1));

        Assert.IsType<PostgresException>(Assert.Single(outcomes, o => o.Failure is not null).Failure);
        Assert.Null(outcomes[4].Result.Events);
        Assert.All(outcomes.Where((_, i) => i != 4), o => Assert.True(o.Result.Succeeded));
        Assert.Empty(await Store.ReadTreeAsync(poisoned));
        var feed = await ReadWholeFeedAsync(Store);
        Assert.Equal(Enumerable.Range(1, trees.Length - 1).Select(i => (long)i), feed.Select(e => e.Seq));
    }

    [Fact]
    public async Task A_group_commit_that_fails_acknowledges_none_of_its_appends()
    {
        await PostgresTestServer.ScalarAsync(ConnectionString, RefuseCommitsWithPoisonSql);
        var trees = Enumerable.Range(0, 9).Select(_ => GrantId.NewRoot()).ToArray();

        var outcomes = await AppendBehindHeldFeedAsync(trees, t => Markers($"poison-{t}", 1));

        Assert.All(outcomes, o => Assert.IsType<PostgresException>(o.Failure));
        Assert.Equal(0, await Store.GetFeedHeadAsync());
        Assert.Equal(0L, await PostgresTestServer.ScalarAsync(ConnectionString, "SELECT COUNT(*) FROM trees;"));
        var next = await AppendAsync(trees[0], 0, Markers("healthy", 1));
        Assert.Equal((1L, 1L), (next.Events[0].Seq, next.Events[0].Version));
    }

    /// <summary>
    /// Appends to the first tree while another connection holds the feed's row lock, waits until that append is
    /// stuck on the lock, queues an append to each other tree, then lets go: the first append commits alone and
    /// the others queued meanwhile go in the next group commit.
    /// </summary>
    private async Task<(AppendResult Result, Exception? Failure)[]> AppendBehindHeldFeedAsync(
        string[] trees, Func<string, IReadOnlyList<TreeEvent>> events)
    {
        var appends = new Task<AppendResult>[trees.Length];
        await using (var holder = new NpgsqlConnection(ConnectionString))
        {
            await holder.OpenAsync();
            await using var transaction = await holder.BeginTransactionAsync();
            await using (var command = new NpgsqlCommand("SELECT seq FROM feed_head FOR UPDATE;", holder, transaction))
            {
                await command.ExecuteScalarAsync();
            }

            appends[0] = Store.AppendAsync(trees[0], 0, events(trees[0]), SampleEvents.T0, null);
            await WaitUntilABackendWaitsForALockAsync();
            for (var i = 1; i < trees.Length; i++)
            {
                appends[i] = Store.AppendAsync(trees[i], 0, events(trees[i]), SampleEvents.T0, null);
            }

            await transaction.RollbackAsync();
        }

        var outcomes = new (AppendResult, Exception?)[trees.Length];
        for (var i = 0; i < trees.Length; i++)
        {
            try
            {
                outcomes[i] = (await appends[i], null);
            }
            catch (PostgresException ex)
            {
                outcomes[i] = (default, ex);
            }
        }

        return outcomes;
    }

    private async Task WaitUntilABackendWaitsForALockAsync()
    {
        const string Waiting = "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock';";
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            if ((long)(await PostgresTestServer.ScalarAsync(ConnectionString, Waiting))! > 0)
            {
                return;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException("The first append never waited for the feed's lock.");
    }
}
