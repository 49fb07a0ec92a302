using Delegation.Events;
using Delegation.Grains.Storage;
using Delegation.Grants;

namespace Delegation.Tests.Storage;

/// <summary>
/// The store contract (<see cref="IEventStore"/>) as tests, run against every store: each store's test class
/// inherits this one and supplies a fresh, initialized store, much like Orleans' GrainStorageTestRunner.
/// The in-memory store is the reference; a new store passes this suite before anything uses it.
/// </summary>
public abstract partial class EventStoreConformanceTests : IAsyncLifetime
{
    private readonly List<object> _stores = [];

    /// <summary>The store under test, fresh for every test.</summary>
    protected IEventStore Store { get; private set; } = null!;

    /// <summary>A new, empty store, already initialized.</summary>
    protected abstract Task<IEventStore> CreateStoreAsync();

    public virtual async Task InitializeAsync() => Store = Track(await CreateStoreAsync());

    public virtual async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            if (store is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }

    /// <summary>Disposes <paramref name="store"/> after the test.</summary>
    protected T Track<T>(T store)
        where T : notnull
    {
        _stores.Add(store);
        return store;
    }

    [Fact]
    public async Task An_empty_store_has_feed_head_0_and_nothing_to_read()
    {
        Assert.Equal(0, await Store.GetFeedHeadAsync());
        Assert.Empty(await Store.ReadFeedAsync(0, 100));
        Assert.Empty(await Store.ReadTreeAsync(GrantId.NewRoot()));
    }

    [Fact]
    public async Task Appending_to_a_new_tree_at_expected_version_0_starts_it_at_version_1()
    {
        var tree = GrantId.NewRoot();
        var created = new GrantCreated(SampleEvents.Root(tree, "user", "agent"));

        var result = await Store.AppendAsync(tree, 0, [created], SampleEvents.T0, null);

        Assert.True(result.Succeeded);
        Assert.Equal(1, result.CurrentVersion);
        var stored = Assert.Single(result.Events);
        EventAssert.Equal(new StoredEvent(1, tree, 1, SampleEvents.T0, created), stored);
        EventAssert.Equal(stored, Assert.Single(await Store.ReadTreeAsync(tree)));
        Assert.Equal(1, await Store.GetFeedHeadAsync());
    }

    [Fact]
    public async Task Versions_and_sequences_are_assigned_consecutively()
    {
        var a = GrantId.NewRoot();
        var b = GrantId.NewRoot();

        var first = await AppendAsync(a, 0, Markers("a", 3));
        var second = await AppendAsync(b, 0, Markers("b", 2));
        var third = await AppendAsync(a, 3, Markers("a-more", 1));

        Assert.Equal([(1L, 1L), (2, 2), (3, 3)], first.Events.Select(e => (e.Seq, e.Version)));
        Assert.Equal([(4L, 1L), (5, 2)], second.Events.Select(e => (e.Seq, e.Version)));
        Assert.Equal([(6L, 4L)], third.Events.Select(e => (e.Seq, e.Version)));
        Assert.Equal([3L, 2, 4], new[] { first, second, third }.Select(r => r.CurrentVersion));
        Assert.Equal(6, await Store.GetFeedHeadAsync());
    }

    [Fact]
    public async Task A_stale_expected_version_conflicts_writes_nothing_and_reports_the_actual_version()
    {
        var tree = GrantId.NewRoot();
        await AppendAsync(tree, 0, Markers("first", 2));
        var due = SampleEvents.T0.AddHours(1);

        var stale = await Store.AppendAsync(tree, 1, Markers("stale", 1), SampleEvents.T0, due);
        var ahead = await Store.AppendAsync(tree, 3, Markers("ahead", 1), SampleEvents.T0, due);

        foreach (var conflict in new[] { stale, ahead })
        {
            Assert.False(conflict.Succeeded);
            Assert.Equal(2, conflict.CurrentVersion);
            Assert.Empty(conflict.Events);
        }

        Assert.Equal(2, await Store.GetFeedHeadAsync());
        Assert.Equal(["first-0", "first-1"], MarkerIds(await Store.ReadTreeAsync(tree)));
        Assert.Empty(await Store.FindTreesDueAsync(due, 10));
    }

    [Fact]
    public async Task A_conflict_on_a_tree_that_does_not_exist_reports_version_0_and_creates_nothing()
    {
        var tree = GrantId.NewRoot();
        var created = new GrantCreated(SampleEvents.Root(tree, "ghost-user", "ghost-agent"));

        var result = await Store.AppendAsync(tree, 1, [created], SampleEvents.T0, SampleEvents.T0);

        Assert.False(result.Succeeded);
        Assert.Equal(0, result.CurrentVersion);
        Assert.Empty(await Store.ReadTreeAsync(tree));
        Assert.Equal(0, await Store.GetFeedHeadAsync());
        Assert.Empty(await Store.FindGrantsByAgentAsync("ghost-agent"));
        Assert.Empty(await Store.FindRootGrantsByUserAsync("ghost-user"));
        Assert.Empty(await Store.FindTreesDueAsync(SampleEvents.T0, 10));
        Assert.True((await AppendAsync(tree, 0, [created])).Succeeded);
    }

    [Fact]
    public async Task Appending_no_events_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => Store.AppendAsync(GrantId.NewRoot(), 0, [], SampleEvents.T0, null));
        Assert.Equal(0, await Store.GetFeedHeadAsync());
    }

    [Fact]
    public async Task ReadTreeAsync_returns_the_events_after_a_version_in_version_order()
    {
        var tree = GrantId.NewRoot();
        var other = GrantId.NewRoot();
        await AppendAsync(tree, 0, Markers("t", 2));
        await AppendAsync(other, 0, Markers("o", 2));
        await AppendAsync(tree, 2, Markers("t-more", 3));

        Assert.Equal([1L, 2, 3, 4, 5], (await Store.ReadTreeAsync(tree)).Select(e => e.Version));
        Assert.Equal([4L, 5], (await Store.ReadTreeAsync(tree, afterVersion: 3)).Select(e => e.Version));
        Assert.Equal(["t-more-1", "t-more-2"], MarkerIds(await Store.ReadTreeAsync(tree, 3)));
        Assert.Empty(await Store.ReadTreeAsync(tree, afterVersion: 5));
        Assert.All(await Store.ReadTreeAsync(tree), e => Assert.Equal(tree, e.TreeId));
    }

    [Fact]
    public async Task InitializeAsync_twice_is_harmless()
    {
        var tree = GrantId.NewRoot();
        await AppendAsync(tree, 0, Markers("before", 2));

        await Store.InitializeAsync();
        await Store.InitializeAsync();

        Assert.Equal(["before-0", "before-1"], MarkerIds(await Store.ReadTreeAsync(tree)));
        var after = await AppendAsync(tree, 2, Markers("after", 1));
        Assert.Equal((3L, 3L), (after.Events[0].Seq, after.Events[0].Version));
    }

    /// <summary>Appends at <see cref="SampleEvents.T0"/> with nothing due, and insists that it succeeds.</summary>
    protected Task<AppendResult> AppendAsync(string tree, long expectedVersion, IReadOnlyList<TreeEvent> events) =>
        AppendAsync(Store, tree, expectedVersion, events);

    /// <summary>Appends to <paramref name="store"/> and insists that it succeeds.</summary>
    protected static async Task<AppendResult> AppendAsync(
        IEventStore store, string tree, long expectedVersion, IReadOnlyList<TreeEvent> events)
    {
        var result = await store.AppendAsync(tree, expectedVersion, events, SampleEvents.T0, null);
        Assert.True(result.Succeeded, $"Append to {tree} at {expectedVersion} conflicted at {result.CurrentVersion}.");
        return result;
    }

    /// <summary><paramref name="count"/> marker events named <c>prefix-0</c>, <c>prefix-1</c>, ...</summary>
    protected static IReadOnlyList<TreeEvent> Markers(string prefix, int count) =>
        [.. Enumerable.Range(0, count).Select(i => SampleEvents.Marker($"{prefix}-{i}"))];

    /// <summary>The marker ids of <paramref name="events"/>, in order.</summary>
    protected static IReadOnlyList<string> MarkerIds(IEnumerable<StoredEvent> events) =>
        [.. events.Select(e => ((GrantExpired)e.Event).GrantId)];

    /// <summary>The whole feed, read in pages.</summary>
    protected static async Task<IReadOnlyList<StoredEvent>> ReadWholeFeedAsync(IEventStore store)
    {
        var feed = new List<StoredEvent>();
        while (true)
        {
            var page = await store.ReadFeedAsync(feed.Count == 0 ? 0 : feed[^1].Seq, 97);
            if (page.Count == 0)
            {
                return feed;
            }

            feed.AddRange(page);
        }
    }
}
