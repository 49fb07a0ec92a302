using System.Text.Json;
using Delegation.Api;
using Delegation.Grains.Audit;
using Delegation.Grants;

namespace Delegation.Tests.Operations;

/// <summary>
/// The audit query contract (filters, paging, export, retention) through <c>GET /v1/audit</c>, run against every
/// decision log: each log's test class inherits this one with its <see cref="AuditScenario"/>. Every answer is
/// compared with the scenario's model of what was checked. Tests that only read share one scenario; those that
/// write (prune, bulk append, restart) start their own.
/// </summary>
public abstract class AuditQueryTests<TScenario>(TScenario shared) : IClassFixture<TScenario>
    where TScenario : AuditScenario, new()
{
    /// <summary>The scenario the reading tests share.</summary>
    protected TScenario Shared { get; } = shared;

    [Fact]
    public void The_scenario_has_allows_and_denies_for_both_users()
    {
        Assert.Equal(12, Shared.Made.Count);
        Assert.Equal(9, Shared.Made.Count(c => c.Decision == Decision.Allow));
        Assert.Equal(["alice", "bob"], Shared.Made.Select(c => c.User).Distinct().Order());
    }

    [Theory]
    [InlineData("none")]
    [InlineData("agent")]
    [InlineData("agent-unknown")]
    [InlineData("user")]
    [InlineData("grant-root")]
    [InlineData("grant-child")]
    [InlineData("subtree-root")]
    [InlineData("subtree-child")]
    [InlineData("subtree-leaf")]
    [InlineData("subtree-false")]
    [InlineData("action")]
    [InlineData("allow")]
    [InlineData("deny")]
    [InlineData("from")]
    [InlineData("to")]
    [InlineData("from-to")]
    [InlineData("from-to-empty")]
    [InlineData("user-deny-subtree")]
    public async Task Each_filter_returns_exactly_the_matching_entries_newest_first(string name)
    {
        var (query, matches) = Case(Shared, name);

        var page = await AuditAsync(Shared, query + "&limit=1000");

        Assert.Equal(Shared.Made.Where(matches).Reverse().Select(Key), page.Items.Select(Key));
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task Each_entry_holds_the_chain_agent_user_and_reason_of_its_check()
    {
        var page = await AuditAsync(Shared, "limit=1000");

        Assert.Equal(Shared.Made.Count, page.Items.Count);
        foreach (var (made, entry) in Shared.Made.Reverse().Zip(page.Items))
        {
            Assert.Equal(made.Chain, entry.Chain);
            Assert.Equal((made.Time, made.Grant, made.Agent, made.User, made.Action), (entry.Time, entry.GrantId, entry.Agent, entry.User, entry.Action));
            Assert.Equal(made.Decision == Decision.Allow ? null : DenyReason.ScopeMismatch, entry.Reason);
            Assert.Equal(OpsKeys.SiloName, entry.Enforcer);
        }
    }

    [Theory]
    [InlineData(1, "none")]
    [InlineData(3, "none")]
    [InlineData(5, "none")]
    [InlineData(12, "none")]
    [InlineData(13, "none")]
    [InlineData(2, "allow")]
    [InlineData(3, "subtree-root")]
    [InlineData(1, "from-to")]
    public async Task Paging_with_the_cursor_returns_every_entry_exactly_once_newest_first(int limit, string name)
    {
        var (query, matches) = Case(Shared, name);
        var seen = new List<DecisionRecord>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await AuditAsync(Shared, $"{query}&limit={limit}" + (cursor is null ? string.Empty : "&cursor=" + cursor));
            Assert.InRange(page.Items.Count, 1, limit);
            seen.AddRange(page.Items);
            cursor = page.NextCursor;
            Assert.True(++pages <= Shared.Made.Count, "paging did not end");
        }
        while (cursor is not null);

        var expected = Shared.Made.Where(matches).Reverse().ToList();
        Assert.Equal(expected.Select(Key), seen.Select(Key));
        Assert.Equal((expected.Count + limit - 1) / limit, pages);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("subtree-child")]
    [InlineData("deny")]
    [InlineData("from-to")]
    public async Task The_jsonl_export_is_every_matching_entry_one_per_line_newest_first(string name)
    {
        var (query, matches) = Case(Shared, name);

        var lines = await ExportAsync(Shared.Silo, query + "&limit=2");

        Assert.Equal(Shared.Made.Where(matches).Reverse().Select(Key), lines.Select(Key));
    }

    [Theory]
    [InlineData("%")]
    [InlineData("_")]
    [InlineData("upper")]
    [InlineData("prefix")]
    [InlineData("pair")]
    public async Task A_grant_filter_matches_grant_ids_literally(string kind)
    {
        var grant = kind switch
        {
            "upper" => Shared.RootA.ToUpperInvariant(),
            "prefix" => Shared.RootA[..^1],
            "pair" => $"{Shared.RootA},{Shared.ChildA}",
            _ => kind,
        };

        var exact = await AuditAsync(Shared, "grant=" + Uri.EscapeDataString(grant));
        var subtree = await AuditAsync(Shared, "subtree=true&grant=" + Uri.EscapeDataString(grant));

        Assert.Empty(exact.Items);
        Assert.Empty(subtree.Items);
    }

    [Fact]
    public async Task The_jsonl_export_spans_more_than_one_internal_page()
    {
        await using var scenario = await StartAsync();
        var start = scenario.Clock.GetUtcNow();
        var bulk = Enumerable.Range(0, 2_345)
            .Select(i => new DecisionRecord(
                start.AddMilliseconds(i + 1), scenario.RootB, [scenario.RootB], "bulk-agent", "bob", i % 2 == 0 ? "bulk:even" : "bulk:odd",
                null, i, Decision.Allow, null, null, "gateway-1", 1))
            .ToList();
        await scenario.Silo.Service<IDecisionLog>().AppendAsync(bulk);

        var all = await ExportAsync(scenario.Silo, "agent=bulk-agent");
        var odd = await ExportAsync(scenario.Silo, "agent=bulk-agent&action=bulk:odd");

        Assert.Equal(Enumerable.Range(0, 2_345).Reverse().Select(i => (long)i), all.Select(e => e.Cost));
        Assert.Equal(Enumerable.Range(0, 2_345).Where(i => i % 2 == 1).Reverse().Select(i => (long)i), odd.Select(e => e.Cost));
        Assert.Equal(scenario.Made.Count + bulk.Count, (await ExportAsync(scenario.Silo, string.Empty)).Count);
    }

    [Fact]
    public async Task Pruning_removes_only_entries_older_than_the_cutoff()
    {
        await using var scenario = await StartAsync();
        var log = scenario.Silo.Service<IDecisionLog>();
        var cutoff = scenario.Made[5].Time;

        var removed = await log.PruneAsync(cutoff);
        var again = await log.PruneAsync(cutoff);

        Assert.Equal((5, 0), (removed, again));
        var page = await AuditAsync(scenario, "limit=1000");
        Assert.Equal(scenario.Made.Skip(5).Reverse().Select(Key), page.Items.Select(Key));
    }

    /// <summary>A fresh scenario of this store, disposed by the caller.</summary>
    protected static async Task<TScenario> StartAsync()
    {
        var scenario = new TScenario();
        await scenario.InitializeAsync();
        return scenario;
    }

    /// <summary>The decision log's entries as <c>GET /v1/audit</c> pages them.</summary>
    protected static Task<AuditPage> AuditAsync(AuditScenario scenario, string query) =>
        scenario.Silo.GetJsonAsync("/v1/audit?" + query, OpsKeys.Issuer, DelegationJsonContext.Default.AuditPage);

    /// <summary>The JSON-lines export, parsed line by line.</summary>
    protected static async Task<List<DecisionRecord>> ExportAsync(OpsSilo silo, string query)
    {
        using var response = await silo.SendAsync(HttpMethod.Get, "/v1/audit?format=jsonl&" + query, OpsKeys.Issuer);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        Assert.True(text.Length == 0 || text.EndsWith('\n'), "every line ends with a newline");
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonSerializer.Deserialize(line, DelegationJsonContext.Default.DecisionRecord)!)
            .ToList();
    }

    private static (string Query, Func<AuditCheck, bool> Matches) Case(AuditScenario s, string name)
    {
        var made = s.Made;
        return name switch
        {
            "none" => ("x=1", _ => true),
            "agent" => ("agent=sub-a", c => c.Agent == "sub-a"),
            "agent-unknown" => ("agent=nobody", _ => false),
            "user" => ("user=bob", c => c.User == "bob"),
            "grant-root" => ("grant=" + s.RootA, c => c.Grant == s.RootA),
            "grant-child" => ("grant=" + s.ChildA, c => c.Grant == s.ChildA),
            "subtree-root" => ($"grant={s.RootA}&subtree=true", c => c.Chain.Contains(s.RootA)),
            "subtree-child" => ($"grant={s.ChildA}&subtree=true", c => c.Chain.Contains(s.ChildA)),
            "subtree-leaf" => ($"grant={s.LeafA}&subtree=true", c => c.Grant == s.LeafA),
            "subtree-false" => ($"grant={s.ChildA}&subtree=false", c => c.Grant == s.ChildA),
            "action" => ("action=tickets:read", c => c.Action == "tickets:read"),
            "allow" => ("decision=allow", c => c.Decision == Decision.Allow),
            "deny" => ("decision=deny", c => c.Decision == Decision.Deny),
            "from" => ("from=" + OpsAssert.Query(made[4].Time), c => c.Time >= made[4].Time),
            "to" => ("to=" + OpsAssert.Query(made[4].Time), c => c.Time < made[4].Time),
            "from-to" => ($"from={OpsAssert.Query(made[2].Time)}&to={OpsAssert.Query(made[9].Time)}", c => c.Time >= made[2].Time && c.Time < made[9].Time),
            "from-to-empty" => ($"from={OpsAssert.Query(made[3].Time)}&to={OpsAssert.Query(made[3].Time)}", _ => false),
            "user-deny-subtree" => (
                $"user=alice&decision=deny&grant={s.ChildA}&subtree=true",
                c => c.User == "alice" && c.Decision == Decision.Deny && c.Chain.Contains(s.ChildA)),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such case"),
        };
    }

    private static (DateTimeOffset, string?, string, Decision) Key(AuditCheck c) => (c.Time, c.Grant, c.Action, c.Decision);

    private static (DateTimeOffset, string?, string, Decision) Key(DecisionRecord r) => (r.Time, r.GrantId, r.Action, r.Decision);
}
