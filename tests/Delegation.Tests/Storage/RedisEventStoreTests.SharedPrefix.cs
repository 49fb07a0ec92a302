using Delegation.Grants;
using Delegation.Storage.Redis;
using StackExchange.Redis;

namespace Delegation.Tests.Storage;

/// <summary>Several stores on one prefix stand in for several silos: each has its own connection and subscription.</summary>
public sealed partial class RedisEventStoreTests
{
    /// <summary>A wait that something should end; the test fails (cancelled) if nothing ends it by then.</summary>
    // Bounds each test whole (hammering included): generous, because appendfsync always pays the shared disk's fsync
    // for every append, and that disk has stalled for seconds under other work.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>A fallback timeout longer than <see cref="Patience"/>: a wait that ends in time was woken, not timed out.</summary>
    private static readonly TimeSpan Fallback = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Two_stores_on_one_prefix_racing_appends_to_one_tree_never_fork()
    {
        var other = await OpenAsync();
        var tree = GrantId.NewRoot();
        var writers = Enumerable.Range(0, 8).Select(i => i % 2 == 0 ? Store : other).ToArray();

        var results = await HammerAsync(writers, [tree], appendsPerWriter: 15);

        var third = await OpenAsync();
        await AssertFeedIsExactAsync(third, [tree], results);
        var events = await third.ReadTreeAsync(tree);
        Assert.Equal(results.Sum(r => r.Sum(a => a.Events.Count)), events.Count);
        Assert.Equal(events.Count, events.Select(e => e.Version).Distinct().Count());
    }

    [Fact]
    public async Task Two_stores_on_one_prefix_share_one_gap_free_feed_in_commit_order()
    {
        var other = await OpenAsync();
        var trees = Enumerable.Range(0, 6).Select(_ => GrantId.NewRoot()).ToArray();
        var writers = Enumerable.Range(0, 12).Select(i => i % 2 == 0 ? Store : other).ToArray();

        var results = await HammerAsync(writers, trees, appendsPerWriter: 15);

        var third = await OpenAsync();
        await AssertFeedIsExactAsync(third, trees, results);
        Assert.Equal(await third.GetFeedHeadAsync(), await other.GetFeedHeadAsync());
    }

    [Fact]
    public async Task Two_stores_creating_the_same_new_tree_at_once_let_exactly_one_win()
    {
        var other = await OpenAsync();
        var tree = GrantId.NewRoot();

        var results = await RaceAsync(Enumerable.Range(0, 16).Select(i => i % 2 == 0 ? Store : other).ToArray(), tree, 0);

        var winner = Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(1, r.CurrentVersion));
        Assert.Equal(MarkerIds(winner.Events), MarkerIds(await other.ReadTreeAsync(tree)));
        Assert.Equal(1, await other.GetFeedHeadAsync());
    }

    /// <summary>
    /// A tailer on a third store reads while two stores hammer the server: every page it gets must continue exactly
    /// where it stood (a sequence that became visible after a larger one would be skipped for good).
    /// </summary>
    [Fact]
    public async Task A_tailer_reading_while_two_stores_append_never_skips_an_event()
    {
        var other = await OpenAsync();
        var reader = await OpenAsync();
        var trees = Enumerable.Range(0, 8).Select(_ => GrantId.NewRoot()).ToArray();
        var writers = Enumerable.Range(0, 16).Select(i => i % 2 == 0 ? Store : other).ToArray();
        var total = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var patience = new CancellationTokenSource(Patience);

        var tailer = Task.Run(async () =>
        {
            var position = 0L;
            var pages = 0;
            while (!total.Task.IsCompleted || position < total.Task.Result)
            {
                var page = await reader.ReadFeedAsync(position, 7, patience.Token);
                foreach (var stored in page)
                {
                    Assert.Equal(position + 1, stored.Seq);
                    position = stored.Seq;
                }

                pages += page.Count > 0 ? 1 : 0;
                if (page.Count == 0)
                {
                    await reader.WaitForAppendAsync(position, Fallback, patience.Token);
                }
            }

            return (position, pages);
        });
        var results = await HammerAsync(writers, trees, appendsPerWriter: 20);
        total.SetResult(results.SelectMany(r => r).Sum(r => (long)r.Events.Count));

        var (position, pages) = await tailer.WaitAsync(patience.Token);

        Assert.Equal(await total.Task, position);
        Assert.True(pages > 1, "The tailer should have read while the appends were still going on.");
        await AssertFeedIsExactAsync(reader, trees, results);
    }

    [Fact]
    public async Task An_append_through_one_store_wakes_a_waiter_of_another_before_its_fallback_timeout()
    {
        var other = await OpenAsync();
        var tree = GrantId.NewRoot();
        using var patience = new CancellationTokenSource(Patience);

        // Only the published message can end these waits before the patience cancels them (and fails the test):
        // the append goes through Store, so other's own signal is never pulsed by it.
        for (var version = 0; version < 3; version++)
        {
            var wait = other.WaitForAppendAsync(version, Fallback, patience.Token);
            await AppendAsync(tree, version, Markers($"wake-{version}", 1));
            await wait;
        }

        Assert.Equal(3, await other.GetFeedHeadAsync());
    }

    [Fact]
    public async Task A_waiter_is_still_woken_after_its_subscription_connection_is_killed()
    {
        var name = "dlg-test-" + Guid.NewGuid().ToString("N");
        var other = await OpenAsync(clientName: name);
        var tree = GrantId.NewRoot();
        using var patience = new CancellationTokenSource(Patience);
        var redis = await Inspector.Value;
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        var clients = ((string)(await server.ExecuteAsync("CLIENT", "LIST"))!).Split('\n');
        var subscription = Assert.Single(clients.Where(c => c.Contains(name, StringComparison.Ordinal)), c => c.Contains(" flags=P ", StringComparison.Ordinal));
        var id = subscription.Split(' ')[0]["id=".Length..];

        await server.ExecuteAsync("CLIENT", "KILL", "ID", id);

        // Each wait ends by the pulse once the subscription is back, or by the message it then hears.
        for (var version = 0; version < 3; version++)
        {
            var wait = other.WaitForAppendAsync(version, Fallback, patience.Token);
            await AppendAsync(tree, version, Markers($"after-kill-{version}", 1));
            await wait;
        }

        Assert.Equal(3, await other.GetFeedHeadAsync());
    }

    [Fact]
    public async Task A_feed_read_resumes_exactly_after_a_given_sequence_on_any_store()
    {
        var trees = new[] { GrantId.NewRoot(), GrantId.NewRoot() };
        await AppendAsync(trees[0], 0, Markers("a", 3));
        await AppendAsync(trees[1], 0, Markers("b", 2));
        var seen = await Store.ReadFeedAsync(0, 4);
        var resumeAfter = seen[^1].Seq;
        await AppendAsync(trees[0], 3, Markers("a-more", 2));
        var later = await OpenAsync();

        var resumed = await later.ReadFeedAsync(resumeAfter, 100);

        Assert.Equal(4, resumeAfter);
        Assert.Equal([5L, 6, 7], resumed.Select(e => e.Seq));
        Assert.Equal(["b-1", "a-more-0", "a-more-1"], MarkerIds(resumed));
        Assert.Equal([(trees[1], 2L), (trees[0], 4L), (trees[0], 5L)], resumed.Select(e => (e.TreeId, e.Version)));
        for (var after = 0L; after <= 7; after++)
        {
            Assert.Equal(
                Enumerable.Range((int)after + 1, 7 - (int)after).Select(s => (long)s),
                (await later.ReadFeedAsync(after, 100)).Select(e => e.Seq));
        }
    }

    [Fact]
    public async Task Each_append_publishes_the_feed_head_after_it_on_the_prefix_channel()
    {
        var redis = await Inspector.Value;
        var queue = await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(new RedisKeys(_prefix).FeedChannel));
        var heads = new List<long>();
        try
        {
            var tree = GrantId.NewRoot();
            await AppendAsync(tree, 0, Markers("x", 2));
            await AppendAsync(GrantId.NewRoot(), 0, Markers("y", 1));
            await AppendAsync(tree, 2, Markers("z", 3));
            using var patience = new CancellationTokenSource(Patience);
            for (var i = 0; i < 3; i++)
            {
                heads.Add((long)(await queue.ReadAsync(patience.Token)).Message);
            }
        }
        finally
        {
            await queue.UnsubscribeAsync();
        }

        Assert.Equal([2L, 3, 6], heads);
    }
}
