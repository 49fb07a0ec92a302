using System.Text.Json;
using static Delegation.Tests.Cli.CliGrants;

namespace Delegation.Tests.Cli;

/// <summary>The tails follow the silo live and end cleanly when stopped.</summary>
[Collection(CliCollection.Name)]
public sealed class CliTailTests(SiloProcess silo)
{
    private readonly CliRunner _cli = new(silo);

    [Fact]
    public async Task Events_tail_follows_the_feed_live_until_stopped()
    {
        var head = (await _cli.RunAsync("enforcers", "--json")).ExpectExit(0).Json().GetProperty("head").GetInt64();
        using var tail = _cli.Start("events", "tail", "--after", head.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json");

        var (rootId, _) = await GrantAsync(_cli, Unique("kim"), Unique("bot"), "x:y");
        (await _cli.RunAsync("revoke", rootId, "--reason", "tail test")).ExpectExit(0);

        var created = JsonDocument.Parse(await tail.ReadLineUntilAsync(l => l.Contains(rootId, StringComparison.Ordinal))).RootElement;
        var revoked = JsonDocument.Parse(await tail.ReadLineUntilAsync(l => l.Contains("grant_revoked", StringComparison.Ordinal))).RootElement;
        Assert.Equal("grant_created", created.GetProperty("event").GetProperty("type").GetString());
        Assert.Equal(rootId, revoked.GetProperty("event").GetProperty("grantId").GetString());
        Assert.Equal("tail test", revoked.GetProperty("event").GetProperty("reason").GetString());
        Assert.True(revoked.GetProperty("seq").GetInt64() > created.GetProperty("seq").GetInt64());
        Assert.Equal(0, await tail.StopAsync());
    }

    [Fact]
    public async Task Audit_tail_shows_recent_decisions_then_new_ones()
    {
        var (rootId, _) = await GrantAsync(_cli, Unique("lee"), Unique("bot"), "tickets:read");
        (await _cli.RunAsync("check", rootId, "tickets:read")).ExpectExit(0);
        using var tail = _cli.Start("audit", "tail", "--grant", rootId, "--interval", "200ms");

        var earlier = await tail.ReadLineUntilAsync(l => l.Contains(rootId, StringComparison.Ordinal));
        (await _cli.RunAsync("check", rootId, "tickets:write")).ExpectExit(1);
        var later = await tail.ReadLineUntilAsync(l => l.Contains("tickets:write", StringComparison.Ordinal));

        Assert.Contains("allow", earlier);
        Assert.Contains("deny scope_mismatch", later);
        Assert.Equal(0, await tail.StopAsync());
    }
}
