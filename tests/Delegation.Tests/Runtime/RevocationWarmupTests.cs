using Delegation.Events;
using Delegation.Grains.Trees;
using Delegation.Silo.Feed;

namespace Delegation.Tests.Runtime;

/// <summary>The start-up rehearsal of a revocation: it runs the real code on throwaway objects and writes nothing real.</summary>
public sealed class RevocationWarmupTests
{
    [Fact]
    public async Task The_rehearsal_revokes_a_throwaway_tree_in_a_store_of_its_own()
    {
        var store = await RevocationRehearsal.RunAsync(TimeProvider.System, CancellationToken.None);
        var events = await store.ReadFeedAsync(0, 16);

        Assert.Equal([typeof(GrantCreated), typeof(GrantDelegated), typeof(GrantRevoked)], events.Select(e => e.Event.GetType()));
        Assert.Equal(events[0].TreeId, ((GrantRevoked)events[2].Event).GrantId);
    }

    [Fact]
    public async Task The_warm_up_answers_as_a_revoke_and_wait_acknowledged_by_its_own_enforcer()
    {
        var response = await RevocationWarmup.RunAsync(TimeProvider.System, CancellationToken.None);

        Assert.Equal((2, 3L, 3L), (response.Affected, response.TreeVersion, response.FeedSeq));
        Assert.Equal((1, 1, false), (response.Propagation!.Acked, response.Propagation.Total, response.Propagation.TimedOut));
    }

    [Fact]
    public async Task A_started_silo_has_warmed_up_without_writing_to_its_feed_or_registering_an_enforcer()
    {
        await using var silo = await Enforcement.TestSilo.StartAsync();

        var enforcers = await silo.Admin.GetEnforcersAsync();

        Assert.Equal(0, enforcers.Head);
        Assert.Empty(enforcers.Enforcers);
    }
}
