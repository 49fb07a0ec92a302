using Delegation.Events;
using Delegation.Grains.Storage;
using Delegation.Grants;
using Delegation.Storage.Redis;
using Delegation.Tests.Cluster;
using StackExchange.Redis;

namespace Delegation.Tests.Storage;

/// <summary>
/// The store contract against Redis, each test under a key prefix of its own on the shared throwaway server
/// (<c>DELEGATION_TEST_REDIS</c>, see <see cref="RedisTestServer"/>; fails without it), plus what only Redis can show.
/// </summary>
public sealed partial class RedisEventStoreTests : EventStoreConformanceTests
{
    /// <summary>A connection of the tests' own, to look at and clean up keys.</summary>
    private static readonly Lazy<Task<ConnectionMultiplexer>> Inspector = new(() => ConnectionMultiplexer.ConnectAsync(RedisTestServer.Endpoint));

    private readonly string _prefix = $"dlg-test:{Guid.NewGuid():N}:";
    private readonly List<string> _prefixes = [];

    protected override async Task<IEventStore> CreateStoreAsync() => await OpenAsync();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        var redis = await Inspector.Value;
        foreach (var prefix in _prefixes.Distinct())
        {
            var keys = await KeysAsync(prefix);
            if (keys.Count > 0)
            {
                await redis.GetDatabase().KeyDeleteAsync([.. keys.Select(k => (RedisKey)k)]);
            }
        }
    }

    [Fact]
    public async Task Data_survives_dispose_and_reopen()
    {
        var tree = GrantId.NewRoot();
        var events = SampleEvents.OneOfEach(tree);
        var created = (GrantCreated)events[0];
        var delegated = (GrantDelegated)events[1];
        var due = SampleEvents.T0.AddMinutes(5);
        await Store.AppendAsync(tree, 0, events, SampleEvents.T0, due);
        var before = await Store.ReadFeedAsync(0, 100);
        await ((RedisEventStore)Store).DisposeAsync();

        var reopened = await OpenAsync();

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
        var store = (RedisEventStore)Store;
        await store.DisposeAsync();
        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.GetFeedHeadAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(
            () => store.AppendAsync(GrantId.NewRoot(), 0, Markers("late", 1), SampleEvents.T0, null));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.InitializeAsync());
    }

    [Fact]
    public async Task A_store_used_before_InitializeAsync_says_so_and_names_the_server()
    {
        await using var store = new RedisEventStore(RedisTestServer.Endpoint, new RedisStoreOptions { KeyPrefix = _prefix });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.GetFeedHeadAsync());

        Assert.Contains(nameof(IEventStore.InitializeAsync), error.Message, StringComparison.Ordinal);
        Assert.Contains(RedisTestServer.Endpoint, error.Message, StringComparison.Ordinal);
        Assert.Equal(RedisTestServer.Endpoint, store.Server);
    }

    [Fact]
    public async Task Every_key_the_store_writes_is_under_its_prefix_as_RedisKeys_names_it()
    {
        var tree = GrantId.NewRoot();
        var events = SampleEvents.OneOfEach(tree);
        var root = ((GrantCreated)events[0]).Grant;
        var child = ((GrantDelegated)events[1]).Grant;
        await Store.AppendAsync(tree, 0, events, SampleEvents.T0, SampleEvents.T0.AddMinutes(1));
        var keys = new RedisKeys(_prefix);

        Assert.Equal(
            new[]
            {
                keys.Feed, keys.FeedHead, keys.Tree(tree), keys.TreesDue, keys.TreeDueMembers,
                keys.GrantsByAgent(root.Agent), keys.GrantsByAgent(child.Agent), keys.RootGrantsByUser(root.User),
            }.Order(StringComparer.Ordinal),
            (await KeysAsync(_prefix)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Stores_on_two_prefixes_of_one_server_share_nothing()
    {
        var neighbour = await OpenAsync($"dlg-test:{Guid.NewGuid():N}:");
        var tree = GrantId.NewRoot();
        var mine = SampleEvents.Root(tree, "user-shared", "agent-shared");
        await AppendAsync(tree, 0, [new GrantCreated(mine)]);

        Assert.Equal(0, await neighbour.GetFeedHeadAsync());
        Assert.Empty(await neighbour.ReadTreeAsync(tree));
        Assert.Empty(await neighbour.FindGrantsByAgentAsync("agent-shared"));
        var theirs = await AppendAsync(neighbour, tree, 0, Markers("theirs", 2));
        Assert.Equal([1L, 2], theirs.Events.Select(e => e.Seq));
        Assert.Equal(1, await Store.GetFeedHeadAsync());
        Assert.IsType<GrantCreated>(Assert.Single(await Store.ReadTreeAsync(tree)).Event);
    }

    [Fact]
    public async Task A_tree_longer_than_a_read_page_is_read_whole_and_in_order()
    {
        var tree = GrantId.NewRoot();
        var other = GrantId.NewRoot();
        for (var batch = 0; batch < 13; batch++)
        {
            await AppendAsync(tree, batch * 97, Markers($"t{batch}", 97));
            await AppendAsync(other, batch, Markers($"o{batch}", 1));
        }

        var whole = await Store.ReadTreeAsync(tree);
        var tail = await Store.ReadTreeAsync(tree, afterVersion: 500);

        Assert.Equal(Enumerable.Range(1, 13 * 97).Select(v => (long)v), whole.Select(e => e.Version));
        Assert.Equal(whole.Skip(500).Select(e => (e.Seq, e.Version)), tail.Select(e => (e.Seq, e.Version)));
        Assert.Equal(Enumerable.Range(0, 13).SelectMany(b => Enumerable.Range(0, 97).Select(i => $"t{b}-{i}")), MarkerIds(whole));
        Assert.Empty(await Store.ReadTreeAsync(tree, afterVersion: 13 * 97));
    }

    [Fact]
    public void An_unparsable_configuration_string_is_refused_without_repeating_it()
    {
        var error = Assert.Throws<ArgumentException>(() => new RedisEventStore("127.0.0.1:6379,password=not-to-be-shown,connectTimeout=soon"));

        Assert.DoesNotContain("not-to-be-shown", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("connectTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_fails_InitializeAsync_without_leaking_the_password()
    {
        await using var store = new RedisEventStore("127.0.0.1:1,password=not-to-be-shown,connectTimeout=1000,connectRetry=1");

        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => store.InitializeAsync());

        Assert.DoesNotContain("not-to-be-shown", error.ToString(), StringComparison.Ordinal);
        Assert.Equal("127.0.0.1:1", store.Server);
    }

    /// <summary>Another store (another silo, as far as Redis can tell) with a connection of its own, on <paramref name="prefix"/>.</summary>
    private async Task<RedisEventStore> OpenAsync(string? prefix = null, string? clientName = null)
    {
        prefix ??= _prefix;
        _prefixes.Add(prefix);
        var configuration = RedisTestServer.Endpoint + (clientName is null ? string.Empty : ",name=" + clientName);
        var store = Track(new RedisEventStore(configuration, new RedisStoreOptions { KeyPrefix = prefix }));
        await store.InitializeAsync();
        return store;
    }

    private static async Task<IReadOnlyList<string>> KeysAsync(string prefix)
    {
        var redis = await Inspector.Value;
        var keys = new List<string>();
        await foreach (var key in redis.GetServer(redis.GetEndPoints()[0]).KeysAsync(pattern: prefix + "*", pageSize: 500))
        {
            keys.Add(key!);
        }

        return keys;
    }
}
