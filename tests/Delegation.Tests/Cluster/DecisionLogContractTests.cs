using Delegation.Api;
using Delegation.Grains.Audit;
using Delegation.Grants;

namespace Delegation.Tests.Cluster;

/// <summary>
/// The decision log contract (what the SQLite log does: filters that combine, newest first, paging by id cursor,
/// subtree by chain, prune by time), run against every log: each log's test class inherits this one.
/// </summary>
public abstract class DecisionLogContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private IDecisionLog? _log;

    /// <summary>The log under test, initialized.</summary>
    protected IDecisionLog Log => _log ?? throw new InvalidOperationException("Not initialized.");

    /// <summary>The entries <see cref="InitializeAsync"/> appended, oldest first.</summary>
    protected List<DecisionRecord> Made { get; } = [];

    protected const string Root = "g_aaaaaaaaaaaaaaaa";
    protected const string Child = "g_aaaaaaaaaaaaaaaa_cccccccccc";
    protected const string Leaf = "g_aaaaaaaaaaaaaaaa_llllllllll";
    protected const string Other = "g_bbbbbbbbbbbbbbbb";

    /// <summary>Creates an empty log of the kind under test (not yet initialized).</summary>
    protected abstract Task<IDecisionLog> CreateLogAsync();

    public virtual async Task InitializeAsync()
    {
        _log = await CreateLogAsync();
        await _log.InitializeAsync();
        string[][] chains = [[Root], [Root, Child], [Root, Child, Leaf], [Other]];
        for (var i = 0; i < 12; i++)
        {
            var chain = chains[i % chains.Length];
            var allow = i % 3 != 0;
            Made.Add(new DecisionRecord(
                T0.AddTicks(i * 10_000_001L),
                chain[^1],
                chain,
                chain.Length == 1 ? "agent-root" : $"agent-{chain.Length}",
                chain[0] == Other ? "bob" : "alice",
                i % 2 == 0 ? "tickets:read" : "tickets:write",
                i % 4 == 0 ? null : $"projects/{i}",
                i,
                allow ? Decision.Allow : Decision.Deny,
                allow ? null : DenyReason.ScopeMismatch,
                allow ? null : chain[0],
                i % 2 == 0 ? "silo-a" : "gateway-1",
                12.5 + i));
        }

        await _log.AppendAsync(Made.Take(5).ToList());
        await _log.AppendAsync([]);
        await _log.AppendAsync(Made.Skip(5).ToList());
    }

    public virtual async Task DisposeAsync()
    {
        if (_log is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    [Fact]
    public async Task Entries_come_back_whole_and_newest_first()
    {
        var page = await Log.QueryAsync(new AuditQuery(Limit: 100));

        Assert.Null(page.NextBefore);
        AssertSame(Enumerable.Reverse(Made), page.Items);
    }

    [Theory]
    [InlineData("agent")]
    [InlineData("user")]
    [InlineData("grant")]
    [InlineData("subtree-root")]
    [InlineData("subtree-child")]
    [InlineData("subtree-leaf")]
    [InlineData("action")]
    [InlineData("allow")]
    [InlineData("deny")]
    [InlineData("from-to")]
    [InlineData("combined")]
    [InlineData("nothing")]
    public async Task Each_filter_returns_exactly_the_matching_entries(string name)
    {
        var (query, matches) = Case(name);

        var page = await Log.QueryAsync(query with { Limit = 100 });

        AssertSame(Enumerable.Reverse(Made).Where(matches), page.Items);
    }

    [Theory]
    [InlineData(1, "all")]
    [InlineData(5, "all")]
    [InlineData(12, "all")]
    [InlineData(2, "subtree-child")]
    [InlineData(3, "deny")]
    public async Task Paging_by_the_cursor_returns_every_entry_once_newest_first(int limit, string name)
    {
        var (query, matches) = Case(name);
        var seen = new List<DecisionRecord>();
        long? before = null;
        var pages = 0;
        do
        {
            var page = await Log.QueryAsync(query with { Limit = limit, Before = before });
            Assert.InRange(page.Items.Count, 1, limit);
            seen.AddRange(page.Items);
            before = page.NextBefore;
            Assert.True(++pages <= Made.Count, "paging did not end");
        }
        while (before is not null);

        var expected = Enumerable.Reverse(Made).Where(matches).ToList();
        AssertSame(expected, seen);
        Assert.Equal((expected.Count + limit - 1) / limit, pages);
    }

    [Fact]
    public async Task Pruning_removes_exactly_the_entries_older_than_the_cutoff()
    {
        var removed = await Log.PruneAsync(Made[5].Time);
        var again = await Log.PruneAsync(Made[5].Time);

        Assert.Equal((5, 0), (removed, again));
        AssertSame(Enumerable.Reverse(Made).Take(7), (await Log.QueryAsync(new AuditQuery(Limit: 100))).Items);
    }

    [Fact]
    public async Task A_large_batch_is_written_in_one_append()
    {
        var bulk = Enumerable.Range(0, 5_000)
            .Select(i => Made[0] with { Time = T0.AddDays(1).AddMilliseconds(i), Action = "bulk:write", Cost = i })
            .ToList();

        await Log.AppendAsync(bulk);

        var page = await Log.QueryAsync(new AuditQuery(Action: "bulk:write", Limit: 10_000));
        Assert.Equal(Enumerable.Range(0, 5_000).Reverse().Select(i => (long)i), page.Items.Select(d => d.Cost));
    }

    /// <summary>Compares entries field by field (the chain as a sequence).</summary>
    protected static void AssertSame(IEnumerable<DecisionRecord> expected, IEnumerable<DecisionRecord> actual)
    {
        var e = expected.ToList();
        var a = actual.ToList();
        Assert.Equal(e.Count, a.Count);
        for (var i = 0; i < e.Count; i++)
        {
            Assert.Equal(e[i].Chain, a[i].Chain);
            Assert.Equal(e[i] with { Chain = a[i].Chain }, a[i]);
        }
    }

    private (AuditQuery Query, Func<DecisionRecord, bool> Matches) Case(string name) => name switch
    {
        "all" => (new AuditQuery(), _ => true),
        "agent" => (new AuditQuery(Agent: "agent-2"), d => d.Agent == "agent-2"),
        "user" => (new AuditQuery(User: "bob"), d => d.User == "bob"),
        "grant" => (new AuditQuery(GrantId: Child), d => d.GrantId == Child),
        "subtree-root" => (new AuditQuery(GrantId: Root, Subtree: true), d => d.Chain.Contains(Root)),
        "subtree-child" => (new AuditQuery(GrantId: Child, Subtree: true), d => d.Chain.Contains(Child)),
        "subtree-leaf" => (new AuditQuery(GrantId: Leaf, Subtree: true), d => d.GrantId == Leaf),
        "action" => (new AuditQuery(Action: "tickets:write"), d => d.Action == "tickets:write"),
        "allow" => (new AuditQuery(Decision: Decision.Allow), d => d.Decision == Decision.Allow),
        "deny" => (new AuditQuery(Decision: Decision.Deny), d => d.Decision == Decision.Deny),
        "from-to" => (new AuditQuery(From: Made[2].Time, To: Made[9].Time), d => d.Time >= Made[2].Time && d.Time < Made[9].Time),
        "combined" => (
            new AuditQuery(User: "alice", GrantId: Root, Subtree: true, Decision: Decision.Deny, From: Made[1].Time),
            d => d.User == "alice" && d.Chain.Contains(Root) && d.Decision == Decision.Deny && d.Time >= Made[1].Time),
        "nothing" => (new AuditQuery(Agent: "nobody"), _ => false),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such case"),
    };
}
