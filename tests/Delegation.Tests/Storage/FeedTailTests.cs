using Delegation.Events;
using Delegation.Grains.Feed;
using Delegation.Grains.Storage;
using Delegation.Grants;

namespace Delegation.Tests.Storage;

/// <summary>
/// The silo's one reader of the feed: its followers get exactly what the store's feed holds, in order, and a wake-up
/// costs the store one read however many followers there are.
/// </summary>
public sealed class FeedTailTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly CountingStore _store = new(new MemoryEventStore());
    private readonly Dictionary<string, long> _versions = [];
    private FeedTail _tail = null!;

    public async Task InitializeAsync()
    {
        await _store.InitializeAsync();
        _tail = new FeedTail(_store, idleWait: TimeSpan.FromMinutes(10), capacity: 8);
    }

    public async Task DisposeAsync() => await _tail.DisposeAsync();

    [Fact]
    public async Task Followers_read_the_same_feed_as_the_store_from_any_position()
    {
        await AppendAsync(5);                       // before the tail starts: read from the store
        Assert.Empty(await _tail.ReadFeedAsync(5, 100));
        await AppendAsync(20);                      // more than the tail holds (8)
        await WaitForTailAsync(25);

        var whole = await _store.ReadFeedAsync(0, 100);
        Assert.Equal(Enumerable.Range(1, 25).Select(i => (long)i), whole.Select(e => e.Seq));
        foreach (var after in new long[] { 0, 3, 5, 16, 17, 18, 24 })
        {
            foreach (var max in new[] { 1, 4, 100 })
            {
                var expected = whole.Where(e => e.Seq > after).Take(max).ToArray();
                var actual = await _tail.ReadFeedAsync(after, max);
                Assert.Equal(expected.Select(e => (e.Seq, e.TreeId, e.Version)), actual.Select(e => (e.Seq, e.TreeId, e.Version)));
            }
        }

        Assert.Empty(await _tail.ReadFeedAsync(25, 100));
        Assert.Empty(await _tail.ReadFeedAsync(40, 100));
    }

    [Fact]
    public async Task A_wait_ends_once_the_tail_has_read_the_new_event()
    {
        await AppendAsync(2);
        Assert.Empty(await _tail.ReadFeedAsync(2, 10));
        using var patience = new CancellationTokenSource(Patience);

        // A long timeout: only the append can end this wait before the patience cancels it (and fails the test).
        var wait = _tail.WaitForAppendAsync(2, TimeSpan.FromMinutes(10), patience.Token);
        Assert.False(wait.IsCompleted);
        await AppendAsync(1);
        await wait;

        Assert.Equal([3L], (await _tail.ReadFeedAsync(2, 10)).Select(e => e.Seq));
        Assert.True(_tail.WaitForAppendAsync(2, TimeSpan.FromMinutes(10), patience.Token).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Many_followers_woken_by_one_append_cost_the_store_one_read_of_it()
    {
        await _tail.ReadFeedAsync(0, 1);            // started at the head (0)
        using var patience = new CancellationTokenSource(Patience);
        var followers = Enumerable.Range(0, 16).Select(_ => FollowOneAsync(patience.Token)).ToArray();
        await Task.Delay(50);
        var readsBefore = _store.FeedReads;

        await AppendAsync(1);
        var seen = await Task.WhenAll(followers);

        Assert.All(seen, s => Assert.Equal(1, s));
        Assert.InRange(_store.FeedReads - readsBefore, 1, 2);   // the tail's read, and at most one that found nothing new
    }

    private async Task<long> FollowOneAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var events = await _tail.ReadFeedAsync(0, 10, cancellationToken);
            if (events.Count > 0)
            {
                return events[^1].Seq;
            }

            await _tail.WaitForAppendAsync(0, TimeSpan.FromMinutes(10), cancellationToken);
        }
    }

    private async Task WaitForTailAsync(long seq)
    {
        using var patience = new CancellationTokenSource(Patience);
        while (_tail.Position < seq)
        {
            await _tail.WaitForAppendAsync(_tail.Position, TimeSpan.FromSeconds(1), patience.Token);
        }
    }

    // Appends one event to each of count trees (a new tree each time), as silos do.
    private async Task AppendAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var tree = GrantId.NewRoot();
            var version = _versions.GetValueOrDefault(tree);
            var result = await _store.AppendAsync(tree, version, [SampleEvents.Marker($"m-{tree}")], SampleEvents.T0, null);
            Assert.True(result.Succeeded);
            _versions[tree] = version + 1;
        }
    }

    /// <summary>The in-memory store, counting how often its feed is read.</summary>
    private sealed class CountingStore(MemoryEventStore inner) : IEventStore
    {
        private int _feedReads;

        public int FeedReads => Volatile.Read(ref _feedReads);

        public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

        public Task<IReadOnlyList<StoredEvent>> ReadTreeAsync(string treeId, long afterVersion = 0, CancellationToken cancellationToken = default) =>
            inner.ReadTreeAsync(treeId, afterVersion, cancellationToken);

        public Task<AppendResult> AppendAsync(string treeId, long expectedVersion, IReadOnlyList<TreeEvent> events, DateTimeOffset at, DateTimeOffset? nextDueAt, CancellationToken cancellationToken = default) =>
            inner.AppendAsync(treeId, expectedVersion, events, at, nextDueAt, cancellationToken);

        public Task<IReadOnlyList<StoredEvent>> ReadFeedAsync(long afterSeq, int max, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _feedReads);
            return inner.ReadFeedAsync(afterSeq, max, cancellationToken);
        }

        public Task<long> GetFeedHeadAsync(CancellationToken cancellationToken = default) => inner.GetFeedHeadAsync(cancellationToken);

        public Task WaitForAppendAsync(long afterSeq, TimeSpan timeout, CancellationToken cancellationToken = default) =>
            inner.WaitForAppendAsync(afterSeq, timeout, cancellationToken);

        public Task<IReadOnlyList<GrantLocator>> FindGrantsByAgentAsync(string agent, CancellationToken cancellationToken = default) =>
            inner.FindGrantsByAgentAsync(agent, cancellationToken);

        public Task<IReadOnlyList<GrantLocator>> FindRootGrantsByUserAsync(string user, CancellationToken cancellationToken = default) =>
            inner.FindRootGrantsByUserAsync(user, cancellationToken);

        public Task<IReadOnlyList<string>> FindTreesDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default) =>
            inner.FindTreesDueAsync(now, max, cancellationToken);
    }
}
