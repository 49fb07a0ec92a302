using static Delegation.Tests.Cli.CliGrants;

namespace Delegation.Tests.Cli;

/// <summary>The operator's story, told through the CLI against a real silo.</summary>
[Collection(CliCollection.Name)]
public sealed class CliEndToEndTests(SiloProcess silo)
{
    private readonly CliRunner _cli = new(silo);

    [Fact]
    public async Task Grant_delegate_tree_check_revoke_and_show_tell_the_whole_story()
    {
        var user = Unique("alice");
        var agent = Unique("support-bot");
        var subAgent = Unique("summarizer");

        var granted = (await _cli.RunAsync("grant", user, agent, "tickets:*@projects/42/**", "--budget", "10", "--ttl", "1h", "--purpose", "triage"))
            .ExpectExit(0);
        Assert.Contains("shown once", granted.Stdout);
        var rootToken = Assert.Single(Lines(granted.Stdout), l => l.StartsWith("dgt_", StringComparison.Ordinal));
        var rootId = rootToken["dgt_".Length..rootToken.IndexOf('.', StringComparison.Ordinal)];

        // The agent delegates with its own token: no key at all.
        var holder = new CliRunner(silo) { Key = null };
        var delegated = (await holder.RunAsync(
            "delegate", rootId, subAgent, "tickets:read@projects/42/*", "--budget", "4", "--ttl", "10m", "--token", rootToken, "--json")).ExpectExit(0);
        var child = delegated.Json();
        var childId = child.GetProperty("grant").GetProperty("id").GetString()!;
        var childToken = child.GetProperty("token").GetString()!;
        Assert.Equal(rootId, child.GetProperty("grant").GetProperty("parentId").GetString());

        var tree = (await _cli.RunAsync("tree", rootId)).ExpectExit(0);
        var rootLine = Assert.Single(Lines(tree.Stdout), l => l.Contains(agent, StringComparison.Ordinal));
        var childLine = Assert.Single(Lines(tree.Stdout), l => l.Contains(subAgent, StringComparison.Ordinal));
        Assert.StartsWith(agent, rootLine);
        Assert.StartsWith("└── " + subAgent, childLine);

        var allowed = (await _cli.RunAsync("check", childToken, "tickets:read", "projects/42/7", "--cost", "1")).ExpectExit(0);
        Assert.StartsWith("allow", allowed.Stdout);

        var revoked = (await _cli.RunAsync("revoke", rootId, "--reason", "offboarding", "--json")).ExpectExit(0).Json();
        Assert.Equal(2, revoked.GetProperty("affected").GetInt32());

        var denied = (await _cli.RunAsync("check", childToken, "tickets:read", "projects/42/7")).ExpectExit(1);
        Assert.StartsWith("deny ancestor_revoked", denied.Stdout);
        Assert.Contains($"decided by {rootId}", denied.Stdout);

        var shown = (await _cli.RunAsync("show", childId)).ExpectExit(0);
        Assert.Contains($"revoked (ancestor_revoked, decided by {rootId})", shown.Stdout);
        // Remaining depends on whether the silo's budget lease for the check has been settled yet: only the limit is fixed.
        Assert.Contains("/4 left", shown.Stdout);
    }

    [Fact]
    public async Task A_rate_and_an_approval_mark_are_shown_and_a_pending_approval_is_listed_approved_and_used_once()
    {
        var granted = (await _cli.RunAsync(
            "grant", Unique("carol"), Unique("payer"), "payments:*@accounts/**", "!payments:send@accounts/**", "--ttl", "1h",
            "--rate", "100/1m", "--burst", "20", "--json")).ExpectExit(0).Json();
        var rootId = granted.GetProperty("grant").GetProperty("id").GetString()!;
        var token = granted.GetProperty("token").GetString()!;

        var shown = (await _cli.RunAsync("show", rootId)).ExpectExit(0);
        var asked = (await _cli.RunAsync("check", token, "payments:send", "accounts/7", "--cost", "5")).ExpectExit(1);
        var approvalId = asked.Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).SkipWhile(w => w != "approval").ElementAt(1);
        var listed = (await _cli.RunAsync("approvals", rootId)).ExpectExit(0);
        var approved = (await _cli.RunAsync("approve", approvalId, "--reason", "invoice 7")).ExpectExit(0);
        var used = (await _cli.RunAsync("check", token, "payments:send", "accounts/7", "--cost", "5", "--approval", approvalId)).ExpectExit(0);
        var again = (await _cli.RunAsync("check", token, "payments:send", "accounts/7", "--cost", "5", "--approval", approvalId)).ExpectExit(1);
        var bad = (await _cli.RunAsync("grant", "u", "a", "x:y", "--ttl", "1h", "--rate", "ten/1m")).ExpectExit(2);

        Assert.Contains("100/60s burst 20 requests", shown.Stdout);
        Assert.StartsWith("deny approval_required", asked.Stdout);
        Assert.Contains("pending", listed.Stdout);
        Assert.StartsWith("Approved " + approvalId, approved.Stdout);
        Assert.StartsWith("allow", used.Stdout);
        Assert.StartsWith("deny approval_required", again.Stdout);
        Assert.Contains("is not a rate", bad.Stderr);
    }

    [Fact]
    public async Task Suspend_denies_the_subtree_until_resume()
    {
        var (rootId, _) = await GrantAsync(_cli, Unique("bob"), Unique("bot"), "mail:*");
        var (_, childToken) = await DelegateAsync(_cli, rootId, Unique("sub"), "mail:send");

        (await _cli.RunAsync("suspend", rootId, "--reason", "investigation")).ExpectExit(0);
        var suspended = (await _cli.RunAsync("check", childToken, "mail:send", "--json")).ExpectExit(1).Json();
        Assert.Equal("ancestor_suspended", suspended.GetProperty("reason").GetString());

        var resumed = (await _cli.RunAsync("resume", rootId)).ExpectExit(0);
        Assert.Contains("2 grant(s) affected", resumed.Stdout);
        (await _cli.RunAsync("check", childToken, "mail:send")).ExpectExit(0);
    }

    [Fact]
    public async Task Kill_switches_revoke_everything_an_agent_holds_and_everything_for_a_person()
    {
        var agent = Unique("compromised");
        var (first, _) = await GrantAsync(_cli, Unique("carol"), agent, "files:read");
        var (second, _) = await GrantAsync(_cli, Unique("dave"), agent, "files:read");
        var agentResult = (await _cli.RunAsync("revoke-agent", agent, "--reason", "key leaked", "--json")).ExpectExit(0).Json();
        Assert.Equal(2, agentResult.GetProperty("affected").GetInt32());
        Assert.Equal(2, agentResult.GetProperty("trees").GetInt32());

        var user = Unique("erin");
        var (third, _) = await GrantAsync(_cli, user, Unique("bot"), "files:read");
        var userResult = (await _cli.RunAsync("revoke-user", user)).ExpectExit(0);
        Assert.Contains("1 grant(s) affected", userResult.Stdout);

        foreach (var id in new[] { first, second, third })
        {
            var shown = (await _cli.RunAsync("show", id, "--json")).ExpectExit(0).Json();
            Assert.Equal("revoked", shown.GetProperty("effectiveStatus").GetString());
        }
    }

    [Fact]
    public async Task Kill_switches_reach_names_that_hold_a_slash()
    {
        var agent = Unique("team") + "/bot";
        var user = Unique("acme") + "/alice";
        var (first, _) = await GrantAsync(_cli, Unique("gina"), agent, "files:read");
        var (second, _) = await GrantAsync(_cli, user, Unique("bot"), "files:read");

        var agentResult = (await _cli.RunAsync("revoke-agent", agent, "--json")).ExpectExit(0).Json();
        var userResult = (await _cli.RunAsync("revoke-user", user, "--json")).ExpectExit(0).Json();

        Assert.Equal((1, 1), (agentResult.GetProperty("affected").GetInt32(), userResult.GetProperty("affected").GetInt32()));
        foreach (var id in new[] { first, second })
        {
            var shown = (await _cli.RunAsync("show", id, "--json")).ExpectExit(0).Json();
            Assert.Equal("revoked", shown.GetProperty("effectiveStatus").GetString());
        }
    }

    [Fact]
    public async Task Invisible_and_direction_changing_characters_in_stored_text_are_shown_escaped()
    {
        var (id, _) = await GrantAsync(_cli, Unique("ivan"), Unique("bot"), "files:read", "--purpose", "invoice\u202Efdp.exe");

        var shown = (await _cli.RunAsync("show", id)).ExpectExit(0);

        Assert.Contains("invoice\\u{202E}fdp.exe", shown.Stdout);
        Assert.DoesNotContain("\u202E", shown.Stdout);
    }

    [Fact]
    public async Task Creating_a_grant_for_a_name_with_a_bidi_override_is_refused_with_invalid_name()
    {
        var refused = (await _cli.RunAsync("grant", Unique("judy"), "bot\u202Etoor", "files:read", "--ttl", "1h")).ExpectExit(5);

        Assert.Contains("invalid_name", refused.Stderr);
    }

    [Fact]
    public async Task Revoke_with_wait_reports_how_far_the_revocation_reached()
    {
        var (first, _) = await GrantAsync(_cli, Unique("frank"), Unique("bot"), "x:y");
        var (second, _) = await GrantAsync(_cli, Unique("frank"), Unique("bot"), "x:y");

        // How many enforcers are live depends on the silo, not on this test: the report is what is asserted.
        var json = (await _cli.RunAsync("revoke", first, "--wait", "--timeout", "1s", "--json")).ExpectExit(0).Json();
        var human = (await _cli.RunAsync("revoke", second, "--wait", "--timeout", "1s")).ExpectExit(0);

        var propagation = json.GetProperty("propagation");
        Assert.InRange(propagation.GetProperty("acked").GetInt32(), 0, propagation.GetProperty("total").GetInt32());
        Assert.True(propagation.GetProperty("elapsedMs").GetInt64() >= 0);
        Assert.Contains("propagation: ", human.Stdout);
    }

    [Fact]
    public async Task Show_at_a_past_time_answers_from_the_events()
    {
        var (rootId, _) = await GrantAsync(_cli, Unique("gina"), Unique("bot"), "x:y");
        var createdAt = (await _cli.RunAsync("show", rootId, "--json")).ExpectExit(0).Json().GetProperty("createdAt").GetString()!;
        (await _cli.RunAsync("revoke", rootId)).ExpectExit(0);

        var then = (await _cli.RunAsync("show", rootId, "--at", createdAt, "--json")).ExpectExit(0).Json();
        var now = (await _cli.RunAsync("show", rootId, "--json")).ExpectExit(0).Json();

        Assert.Equal("active", then.GetProperty("effectiveStatus").GetString());
        Assert.Equal("revoked", now.GetProperty("effectiveStatus").GetString());
    }

    [Fact]
    public async Task Enforcers_lists_the_feed_head()
    {
        var result = (await _cli.RunAsync("enforcers")).ExpectExit(0);
        Assert.Contains("head", result.Stdout);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
