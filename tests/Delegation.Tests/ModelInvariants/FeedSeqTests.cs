using Delegation.Api;
using Delegation.Grains.Budget;
using Delegation.Grains.Trees;
using Delegation.Grains.Storage;

namespace Delegation.Tests.ModelInvariants;

public sealed class FeedSeqTests
{
    [Fact]
    public async Task A_status_change_reports_the_feed_position_of_its_event_and_a_no_op_reports_none()
    {
        var store = new MemoryEventStore();
        await using var silo = await Runtime.TestSilo.StartAsync(store, TimeProvider.System);
        var grains = silo.Grains;
        var other = await grains.NewRootGrant().CreateRootAsync(new CreateGrantRequest("u", "a", ["*"], TtlSeconds: 600));
        var root = await grains.NewRootGrant().CreateRootAsync(new CreateGrantRequest("u", "a", ["*"], TtlSeconds: 600));
        await grains.GetGrant(other.Grant.Id).SuspendAsync(null, "test");

        var revoked = await grains.GetGrant(root.Grant.Id).RevokeAsync(null, "test");
        var again = await grains.GetGrant(root.Grant.Id).RevokeAsync(null, "test");

        Assert.Equal(await store.GetFeedHeadAsync(), revoked.FeedSeq);
        Assert.Equal(4, revoked.FeedSeq);
        Assert.Null(again.FeedSeq);
    }

    [Fact]
    public void Silo_held_lease_ids_are_told_apart_and_route_to_their_tree()
    {
        var tree = Grants.GrantId.NewRoot();
        var silo = LeaseId.New(tree, siloHeld: true);
        var outside = LeaseId.New(tree);
        Assert.True(LeaseId.IsSiloHeld(silo));
        Assert.False(LeaseId.IsSiloHeld(outside));
        Assert.True(LeaseId.TryGetTree(silo, out var siloTree));
        Assert.True(LeaseId.TryGetTree(outside, out var outsideTree));
        Assert.Equal(tree, siloTree);
        Assert.Equal(tree, outsideTree);
    }
}
