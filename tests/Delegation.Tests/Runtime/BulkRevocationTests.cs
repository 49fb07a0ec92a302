using Delegation.Api;
using Delegation.Grains.Errors;
using Delegation.Grains.Storage;
using Delegation.Grants;

namespace Delegation.Tests.Runtime;

/// <summary>The kill switches: everything an agent holds, everything given on behalf of a person, across trees.</summary>
public class BulkRevocationTests : SiloTestBase
{
    [Fact]
    public async Task Revoking_an_agent_revokes_every_grant_it_holds_in_every_tree_and_nothing_else()
    {
        // Tree A: mallory holds the root. Tree B: mallory holds a child with a grandchild. Tree C: a grandchild.
        var a = (await Silo.CreateRootAsync(agent: "mallory")).Grant.Id;
        var aChild = (await Silo.DelegateAsync(a, 10, agent: "helper")).Grant.Id;
        var b = (await Silo.CreateRootAsync(agent: "alice-bot")).Grant.Id;
        var bMallory = (await Silo.DelegateAsync(b, 50, agent: "mallory")).Grant.Id;
        var bUnder = (await Silo.DelegateAsync(bMallory, 10, agent: "helper")).Grant.Id;
        var bOther = (await Silo.DelegateAsync(b, 50, agent: "trusted")).Grant.Id;
        var c = (await Silo.CreateRootAsync(agent: "bob-bot")).Grant.Id;
        var cChild = (await Silo.DelegateAsync(c, 50, agent: "trusted")).Grant.Id;
        var cMallory = (await Silo.DelegateAsync(cChild, 10, agent: "mallory")).Grant.Id;
        var d = (await Silo.CreateRootAsync(agent: "dave-bot")).Grant.Id;
        var untouched = new Dictionary<string, long> { [d] = await Silo.StoredVersionAsync(d) };

        var result = await Silo.Bulk.RevokeAgentAsync("mallory", "compromised", "admin");

        Assert.Equal(new StatusChangeResponse(5, null, 3), result with { FeedSeq = null });
        Assert.Equal(DenyReason.Revoked, (await Silo.CheckAsync(a)).Reason);
        Assert.Equal((DenyReason.AncestorRevoked, a), Decided(await Silo.CheckAsync(aChild)));
        Assert.Equal(DenyReason.Revoked, (await Silo.CheckAsync(bMallory)).Reason);
        Assert.Equal((DenyReason.AncestorRevoked, bMallory), Decided(await Silo.CheckAsync(bUnder)));
        Assert.Equal(DenyReason.Revoked, (await Silo.CheckAsync(cMallory)).Reason);
        foreach (var live in new[] { b, bOther, c, cChild, d })
        {
            Assert.True((await Silo.CheckAsync(live)).IsAllowed, live);
        }

        Assert.Equal(untouched[d], await Silo.StoredVersionAsync(d));
        Assert.Equal(new StatusChangeResponse(0, null, 0), (await Silo.Bulk.RevokeAgentAsync("mallory", null, "admin")) with { FeedSeq = null });
    }

    [Fact]
    public async Task Revoking_an_agent_that_holds_a_grant_and_its_descendant_counts_each_grant_once()
    {
        var root = (await Silo.CreateRootAsync(agent: "mallory")).Grant.Id;
        var child = (await Silo.DelegateAsync(root, 10, agent: "mallory")).Grant.Id;
        await Silo.DelegateAsync(child, 5, agent: "mallory");

        var result = await Silo.Bulk.RevokeAgentAsync("mallory", null, "admin");

        Assert.Equal(new StatusChangeResponse(3, null, 1), result with { FeedSeq = null });
    }

    [Fact]
    public async Task Revoking_a_user_revokes_every_tree_given_on_their_behalf_and_no_other()
    {
        var first = (await Silo.CreateRootAsync(user: "yvonne", agent: "bot-1")).Grant.Id;
        var firstChild = (await Silo.DelegateAsync(first, 10)).Grant.Id;
        await Silo.DelegateAsync(firstChild, 5);
        var second = (await Silo.CreateRootAsync(user: "yvonne", agent: "bot-2")).Grant.Id;
        await Silo.DelegateAsync(second, 10);
        var other = (await Silo.CreateRootAsync(user: "zed", agent: "bot-1")).Grant.Id;
        var otherChild = (await Silo.DelegateAsync(other, 10)).Grant.Id;
        var otherVersion = await Silo.StoredVersionAsync(other);

        var result = await Silo.Bulk.RevokeUserAsync("yvonne", "offboarded", "admin");

        Assert.Equal(new StatusChangeResponse(5, null, 2), result with { FeedSeq = null });
        Assert.All((await Silo.Grain(first).GetTreeAsync()).Grants, g => Assert.Equal(GrantStatus.Revoked, g.EffectiveStatus));
        Assert.All((await Silo.Grain(second).GetTreeAsync()).Grants, g => Assert.Equal(GrantStatus.Revoked, g.EffectiveStatus));
        Assert.True((await Silo.CheckAsync(otherChild)).IsAllowed);
        Assert.Equal(otherVersion, await Silo.StoredVersionAsync(other));
    }

    [Fact]
    public async Task A_kill_switch_without_a_name_is_a_validation_failure()
    {
        var agent = await Assert.ThrowsAsync<RequestValidationException>(() => Silo.Bulk.RevokeAgentAsync("", null, "admin"));
        var user = await Assert.ThrowsAsync<RequestValidationException>(() => Silo.Bulk.RevokeUserAsync(" x", null, "admin"));

        Assert.Equal((ErrorCodes.ValidationFailed, "'agent' is required."), (agent.Code, agent.Message));
        Assert.Contains("leading or trailing spaces", user.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_kill_switch_that_cannot_query_the_store_fails_as_authority_unavailable()
    {
        var store = new ControlledEventStore(new MemoryEventStore()) { Broken = true };
        await using var silo = await TestSilo.StartAsync(store, Time);

        var error = await Assert.ThrowsAsync<AuthorityUnavailableException>(() => silo.Bulk.RevokeAgentAsync("mallory", null, "admin"));

        Assert.Equal(ErrorCodes.AuthorityUnavailable, error.Code);
    }

    private static (DenyReason, string?) Decided(Delegation.Grains.Trees.CheckResult result) => (result.Reason, result.DecidedBy);
}
