using Delegation.Api;
using Delegation.Grains.Audit;
using Delegation.Grants;
using Delegation.Storage.Redis;

namespace Delegation.Tests.Cluster;

/// <summary>
/// The decision log contract against Redis (a key prefix of its own per test on the throwaway server), plus what only
/// this log shows: ids ordered by time, exact ticks, the scripts' budgets, and retention (prune, cap) leaving no index
/// behind. Needs <c>DELEGATION_TEST_REDIS</c> (see <see cref="RedisTestServer"/>); fails without it.
/// </summary>
public sealed class RedisDecisionLogTests : DecisionLogContractTests
{
    private readonly RedisTestPrefix _keys = new();

    protected override Task<IDecisionLog> CreateLogAsync() => OpenAsync();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _keys.DisposeAsync();
    }

    [Theory]
    [InlineData("*")]
    [InlineData("?_aaaaaaaaaaaaaaaa")]
    [InlineData("g_[a]aaaaaaaaaaaaaaa")]
    [InlineData("G_AAAAAAAAAAAAAAAA")]
    [InlineData("g_aaaaaaaaaaaaaaa")]
    public async Task A_grant_filter_matches_ids_literally(string grant)
    {
        Assert.Empty((await Log.QueryAsync(new AuditQuery(GrantId: grant))).Items);
        Assert.Empty((await Log.QueryAsync(new AuditQuery(GrantId: grant, Subtree: true))).Items);
    }

    [Fact]
    public async Task Two_logs_on_one_server_and_prefix_see_each_others_entries()
    {
        var other = await OpenAsync();
        await other.AppendAsync([Made[0] with { Enforcer = "silo-b", Action = "other:silo" }]);

        var page = await Log.QueryAsync(new AuditQuery(Action: "other:silo"));

        Assert.Equal("silo-b", Assert.Single(page.Items).Enforcer);
    }

    [Fact]
    public async Task A_late_batch_takes_the_place_its_time_gives_it()
    {
        var late = Made[3] with { Time = Made[3].Time.AddMilliseconds(1), Action = "late:write" };

        await Log.AppendAsync([late]);

        var expected = Enumerable.Reverse(Made.Take(4).Append(late).Concat(Made.Skip(4)).OrderBy(d => d.Time)).ToList();
        AssertSame(expected, (await Log.QueryAsync(new AuditQuery(Limit: 100))).Items);
        var paged = new List<DecisionRecord>();
        long? before = null;
        do
        {
            var page = await Log.QueryAsync(new AuditQuery(User: "alice", Limit: 2, Before: before));
            paged.AddRange(page.Items);
            before = page.NextBefore;
        }
        while (before is not null);

        AssertSame(expected.Where(d => d.User == "alice"), paged);
    }

    [Fact]
    public async Task Decisions_of_one_millisecond_come_back_newest_appended_first_and_page_exactly()
    {
        var at = Made[^1].Time.AddHours(1);
        var same = Enumerable.Range(0, 1_500).Select(i => Made[1] with { Time = at, Cost = i, Action = "same:ms" }).ToList();
        await Log.AppendAsync(same.Take(700).ToList());
        await Log.AppendAsync(same.Skip(700).ToList());

        var seen = new List<long>();
        long? before = null;
        do
        {
            var page = await Log.QueryAsync(new AuditQuery(Action: "same:ms", Limit: 333, Before: before));
            seen.AddRange(page.Items.Select(d => d.Cost));
            before = page.NextBefore;
        }
        while (before is not null);

        Assert.Equal(Enumerable.Range(0, 1_500).Reverse().Select(i => (long)i), seen);
    }

    [Fact]
    public async Task Times_are_kept_filtered_and_pruned_to_the_tick()
    {
        var at = new DateTimeOffset(2031, 5, 6, 7, 8, 9, 123, TimeSpan.Zero).AddTicks(4_567);
        var ticks = Enumerable.Range(0, 4).Select(i => Made[0] with { Time = at.AddTicks(i), Action = "tick", Cost = i }).ToList();
        await Log.AppendAsync(ticks);

        var between = await Log.QueryAsync(new AuditQuery(Action: "tick", From: at.AddTicks(1), To: at.AddTicks(3)));
        var removed = await Log.PruneAsync(at.AddTicks(2));

        Assert.Equal([2L, 1L], between.Items.Select(d => d.Cost));
        Assert.Equal(Made.Count + 2, removed);
        AssertSame(ticks.Skip(2).Reverse(), (await Log.QueryAsync(new AuditQuery())).Items);
    }

    [Fact]
    public async Task Every_field_round_trips_however_unusual()
    {
        var longText = new string('x', 300) + "é漢🙂";
        DecisionRecord[] odd =
        [
            new(new DateTimeOffset(1969, 7, 20, 20, 17, 40, TimeSpan.Zero), null, [], null, null, "", null, long.MinValue, Decision.Deny, DenyReason.InvalidToken, null, "gateway", double.NaN),
            new(new DateTimeOffset(2301, 1, 1, 0, 0, 0, TimeSpan.FromHours(2)), "g_x", ["g_root", "g_y"], "", "", longText, "", long.MaxValue, Decision.Deny, DenyReason.AuthorityUnavailable, "g_root", longText, -0.5),
            new(Made[0].Time.AddDays(2), "g_unknown", [], "agent-z", "zoe", "a:b", "r/s", 0, Decision.Deny, DenyReason.UnknownGrant, "g_unknown", "silo-a", 0),
        ];

        await Log.AppendAsync(odd);

        var all = await Log.QueryAsync(new AuditQuery(Limit: 100));
        AssertSame(odd.OrderByDescending(d => d.Time).Concat(Enumerable.Reverse(Made)).OrderByDescending(d => d.Time), all.Items);
        AssertSame([odd[1]], (await Log.QueryAsync(new AuditQuery(GrantId: "g_root", Subtree: true))).Items);
        AssertSame([odd[1]], (await Log.QueryAsync(new AuditQuery(Agent: "", User: ""))).Items);
        AssertSame([odd[2]], (await Log.QueryAsync(new AuditQuery(GrantId: "g_unknown"))).Items);
        AssertSame([odd[0]], (await Log.QueryAsync(new AuditQuery(To: new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero)))).Items);
    }

    [Fact]
    public async Task A_filter_on_unindexed_fields_finds_matches_beyond_one_scripts_budget()
    {
        var noise = Enumerable.Range(0, 2_500).Select(i => Made[1] with { Time = Made[^1].Time.AddSeconds(i + 1), Decision = Decision.Allow, Reason = null, DecidedBy = null }).ToList();
        await Log.AppendAsync(noise);

        var denies = await Log.QueryAsync(new AuditQuery(Decision: Decision.Deny, Action: "tickets:read", Limit: 100));

        AssertSame(Enumerable.Reverse(Made).Where(d => d.Decision == Decision.Deny && d.Action == "tickets:read"), denies.Items);
    }

    [Fact]
    public async Task Pruning_everything_leaves_no_key_but_the_sequence()
    {
        var bulk = Enumerable.Range(0, 2_200).Select(i => Made[i % Made.Count] with { Time = Made[0].Time.AddMilliseconds(-i - 1) }).ToList();
        await Log.AppendAsync(bulk);

        var removed = await Log.PruneAsync(Made[^1].Time.AddTicks(1));

        Assert.Equal(Made.Count + bulk.Count, removed);
        Assert.Empty((await Log.QueryAsync(new AuditQuery())).Items);
        Assert.Equal([new RedisKeys(_keys.Prefix).DecisionSequence], await _keys.KeysAsync());
    }

    [Fact]
    public async Task An_append_beyond_the_cap_removes_the_oldest_decisions_and_their_index_entries()
    {
        var capped = await OpenAsync(maxDecisions: 10);
        var more = Enumerable.Range(0, 5).Select(i => Made[2] with { Time = Made[^1].Time.AddSeconds(i + 1), Cost = 100 + i }).ToList();

        await capped.AppendAsync(more);

        var kept = Made.Concat(more).TakeLast(10).Reverse().ToList();
        AssertSame(kept, (await Log.QueryAsync(new AuditQuery())).Items);
        AssertSame(kept.Where(d => d.Chain.Contains(Root)), (await Log.QueryAsync(new AuditQuery(GrantId: Root, Subtree: true))).Items);
        await capped.PruneAsync(DateTimeOffset.MaxValue);
        Assert.Equal([new RedisKeys(_keys.Prefix).DecisionSequence], await _keys.KeysAsync());
    }

    [Fact]
    public async Task Pruning_trims_the_log_to_a_lowered_cap_without_counting_it_as_aged()
    {
        var capped = await OpenAsync(maxDecisions: 3);

        var removed = await capped.PruneAsync(DateTimeOffset.UnixEpoch);

        Assert.Equal(0, removed);
        AssertSame(Enumerable.Reverse(Made).Take(3), (await Log.QueryAsync(new AuditQuery())).Items);
    }

    [Fact]
    public async Task Options_out_of_range_are_refused()
    {
        var redis = await RedisTestPrefix.ConnectAsync();

        Assert.Equal(
            ["MaxDecisions must be between 1 and 1,000,000,000; it is 0."],
            new RedisDecisionLogOptions { MaxDecisions = 0 }.Validate());
        Assert.Throws<ArgumentException>(() => new RedisDecisionLog(redis, _keys.Prefix, new RedisDecisionLogOptions { MaxDecisions = 0 }));
    }

    private async Task<IDecisionLog> OpenAsync(long maxDecisions = RedisDecisionLogOptions.DefaultMaxDecisions)
    {
        var log = new RedisDecisionLog(await RedisTestPrefix.ConnectAsync(), _keys.Prefix, new RedisDecisionLogOptions { MaxDecisions = maxDecisions });
        await log.InitializeAsync();
        return log;
    }
}
