using Delegation.Events;
using Delegation.Grants;

namespace Delegation.Tests.Storage;

public abstract partial class EventStoreConformanceTests
{
    /// <summary>A wait that an append should end; the test fails (cancelled) if nothing ends it by then.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ReadFeedAsync_pages_by_after_and_max_in_sequence_order()
    {
        var trees = new[] { GrantId.NewRoot(), GrantId.NewRoot(), GrantId.NewRoot() };
        for (var round = 0; round < 3; round++)
        {
            foreach (var tree in trees)
            {
                await AppendAsync(tree, round, Markers($"{tree}-{round}", 1));
            }
        }

        await AppendAsync(trees[0], 3, Markers("last", 1));

        var all = await Store.ReadFeedAsync(0, 100);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), all.Select(e => e.Seq));
        Assert.Equal([4L, 5, 6], (await Store.ReadFeedAsync(3, 3)).Select(e => e.Seq));
        Assert.Equal([9L, 10], (await Store.ReadFeedAsync(8, 5)).Select(e => e.Seq));
        Assert.Empty(await Store.ReadFeedAsync(10, 5));
        Assert.Empty(await Store.ReadFeedAsync(0, 0));

        var paged = new List<StoredEvent>();
        for (var after = 0L; after < 10; after = paged[^1].Seq)
        {
            var page = await Store.ReadFeedAsync(after, 4);
            Assert.InRange(page.Count, 1, 4);
            paged.AddRange(page);
        }

        Assert.Equal(MarkerIds(all), MarkerIds(paged));
        Assert.Equal([trees[0], trees[1], trees[2]], all.Take(3).Select(e => e.TreeId));
    }

    [Fact]
    public async Task WaitForAppendAsync_returns_when_an_append_happens()
    {
        var tree = GrantId.NewRoot();
        await AppendAsync(tree, 0, Markers("before", 1));
        using var patience = new CancellationTokenSource(Patience);

        // A long timeout: only the append can end this wait before the patience cancels it (and fails the test).
        var wait = Store.WaitForAppendAsync(1, TimeSpan.FromMinutes(10), patience.Token);
        await AppendAsync(tree, 1, Markers("wake", 1));
        await wait;

        Assert.Equal(2, await Store.GetFeedHeadAsync());
    }

    [Fact]
    public async Task WaitForAppendAsync_returns_at_once_when_the_feed_is_already_past_afterSeq()
    {
        await AppendAsync(GrantId.NewRoot(), 0, Markers("x", 3));
        using var patience = new CancellationTokenSource(Patience);

        await Store.WaitForAppendAsync(2, TimeSpan.FromMinutes(10), patience.Token);
    }

    [Fact]
    public async Task WaitForAppendAsync_returns_after_the_timeout_when_nothing_is_appended()
    {
        await AppendAsync(GrantId.NewRoot(), 0, Markers("x", 1));

        await Store.WaitForAppendAsync(1, TimeSpan.FromMilliseconds(20));
        await Store.WaitForAppendAsync(5, TimeSpan.FromMilliseconds(20));

        Assert.Equal(1, await Store.GetFeedHeadAsync());
    }
}
