using Delegation.Grants;

namespace Delegation.Tests.Storage;

public abstract partial class EventStoreConformanceTests
{
    [Fact]
    public async Task A_conflicting_append_among_concurrent_ones_fails_alone()
    {
        var trees = Enumerable.Range(0, 24).Select(_ => GrantId.NewRoot()).ToArray();
        foreach (var tree in trees)
        {
            await AppendAsync(tree, 0, Markers($"{tree}-first", 1));
        }

        // Every append at the right version but one (the stale one at index 7), all started at once so that a
        // store with group commit writes them in the same transactions.
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var appends = trees.Select((tree, i) => Task.Run(async () =>
        {
            await start.Task;
            return await Store.AppendAsync(tree, i == 7 ? 0 : 1, Markers($"{tree}-second", 2), SampleEvents.T0, null);
        })).ToArray();
        start.SetResult();
        var results = await Task.WhenAll(appends);

        Assert.Equal((false, 1L, 0), (results[7].Succeeded, results[7].CurrentVersion, results[7].Events.Count));
        Assert.All(results.Where((_, i) => i != 7), r => Assert.Equal((true, 3L), (r.Succeeded, r.CurrentVersion)));
        var feed = await ReadWholeFeedAsync(Store);
        Assert.Equal(Enumerable.Range(1, trees.Length + ((trees.Length - 1) * 2)).Select(i => (long)i), feed.Select(e => e.Seq));
        Assert.Single(await Store.ReadTreeAsync(trees[7]));
        Assert.Equal(
            results.Where(r => r.Succeeded).SelectMany(r => r.Events).Select(e => e.Seq).Order(),
            feed.Skip(trees.Length).Select(e => e.Seq));
    }
}
