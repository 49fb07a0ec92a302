using Delegation.Grains.Storage;
using Delegation.Grants;

namespace Delegation.Tests.Storage;

public abstract partial class EventStoreConformanceTests
{
    [Fact]
    public async Task Concurrent_appends_to_many_trees_get_a_gap_free_feed_in_commit_order()
    {
        var trees = Enumerable.Range(0, 8).Select(_ => GrantId.NewRoot()).ToArray();

        var writers = await HammerAsync(Enumerable.Repeat(Store, 16).ToArray(), trees, appendsPerWriter: 20);

        await AssertFeedIsExactAsync(Store, trees, writers);
    }

    [Fact]
    public async Task Exactly_one_of_many_concurrent_appends_at_the_same_expected_version_succeeds()
    {
        var tree = GrantId.NewRoot();
        await AppendAsync(tree, 0, Markers("first", 1));

        var results = await RaceAsync(Enumerable.Repeat(Store, 32).ToArray(), tree, expectedVersion: 1);

        var winner = Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal((2L, 0), (r.CurrentVersion, r.Events.Count)));
        var stored = await Store.ReadTreeAsync(tree);
        Assert.Equal([1L, 2], stored.Select(e => e.Version));
        Assert.Equal(MarkerIds(winner.Events), MarkerIds(stored.Skip(1)));
        Assert.Equal(2, await Store.GetFeedHeadAsync());
    }

    /// <summary>
    /// Every writer appends to the trees in turn from its own task, all starting at once; on a conflict it
    /// retries at the version the store reported. Returns each writer's successful appends, in its order.
    /// </summary>
    protected static async Task<IReadOnlyList<AppendResult>[]> HammerAsync(
        IEventStore[] writers, string[] trees, int appendsPerWriter)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = writers.Select((store, w) => Task.Run(async () =>
        {
            await start.Task;
            var versions = trees.ToDictionary(t => t, _ => 0L);
            var results = new List<AppendResult>();
            for (var j = 0; j < appendsPerWriter; j++)
            {
                var tree = trees[(w + j) % trees.Length];
                var events = Markers($"w{w}-a{j}", 1 + (j % 3));
                AppendResult result;
                while (!(result = await store.AppendAsync(tree, versions[tree], events, SampleEvents.T0, null)).Succeeded)
                {
                    versions[tree] = result.CurrentVersion;
                }

                versions[tree] = result.CurrentVersion;
                results.Add(result);
            }

            return (IReadOnlyList<AppendResult>)results;
        })).ToArray();

        start.SetResult();
        return await Task.WhenAll(tasks);
    }

    /// <summary>Every store appends one marker to <paramref name="tree"/> at the same expected version, all at once.</summary>
    protected static async Task<AppendResult[]> RaceAsync(IEventStore[] racers, string tree, long expectedVersion)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = racers.Select((store, i) => Task.Run(async () =>
        {
            await start.Task;
            return await store.AppendAsync(tree, expectedVersion, Markers($"racer-{i}", 1), SampleEvents.T0, null);
        })).ToArray();

        start.SetResult();
        return await Task.WhenAll(tasks);
    }

    /// <summary>
    /// After <see cref="HammerAsync"/>: the feed holds exactly the appended events, as sequences 1..N with no
    /// gap or duplicate; each tree holds versions 1..k in feed order; and each writer's appends, which it made
    /// one after another, sit in the feed in that order (the feed follows commit order across trees).
    /// </summary>
    protected static async Task AssertFeedIsExactAsync(IEventStore store, string[] trees, IReadOnlyList<AppendResult>[] writers)
    {
        var appended = writers.SelectMany(w => w).SelectMany(r => r.Events).ToArray();
        var feed = await ReadWholeFeedAsync(store);

        Assert.Equal(Enumerable.Range(1, appended.Length).Select(i => (long)i), feed.Select(e => e.Seq));
        Assert.Equal(appended.Length, await store.GetFeedHeadAsync());
        Assert.Equal(
            appended.OrderBy(e => e.Seq).Select(e => (e.Seq, e.TreeId, e.Version, MarkerIds([e])[0])),
            feed.Select(e => (e.Seq, e.TreeId, e.Version, MarkerIds([e])[0])));

        foreach (var tree in trees)
        {
            var events = await store.ReadTreeAsync(tree);
            Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Version));
            Assert.Equal(feed.Where(e => e.TreeId == tree).Select(e => e.Seq), events.Select(e => e.Seq));
        }

        foreach (var results in writers)
        {
            var seqs = results.SelectMany(r => r.Events).Select(e => e.Seq).ToArray();
            Assert.True(seqs.Zip(seqs.Skip(1)).All(p => p.First < p.Second), "A writer's later append got an earlier place in the feed.");
            Assert.All(results, r => Assert.Equal(
                Enumerable.Range(0, r.Events.Count).Select(i => (r.Events[0].Seq + i, r.Events[0].Version + i)),
                r.Events.Select(e => (e.Seq, e.Version))));
        }
    }
}
