using Delegation.Events;
using Delegation.Grains.Model;
using Delegation.Grants;

namespace Delegation.Tests.Model;

/// <summary>Effective status: revoked beats expired beats suspended; within each, the grant itself beats its ancestors.</summary>
public class EffectiveStatusTests
{
    private readonly TreeBuilder _tree = new(budget: 100, lifetime: TimeSpan.FromHours(2));
    private readonly string _child;
    private readonly string _grandchild;

    public EffectiveStatusTests()
    {
        _child = _tree.Delegate(_tree.RootId, 50);
        _grandchild = _tree.Delegate(_child, 20, lifetime: TimeSpan.FromHours(1));
    }

    [Fact]
    public void An_untouched_grant_is_effectively_active_with_no_reason_and_no_decider()
    {
        Assert.Equal(EffectiveState.Active, _tree.Effective(_grandchild));
        Assert.Equal(DenyReason.None, _tree.Effective(_grandchild).Reason);
        Assert.Null(_tree.Effective(_grandchild).DecidedBy);
    }

    [Fact]
    public void A_revoked_grant_is_revoked_decided_by_itself()
    {
        _tree.Revoke(_grandchild);

        Assert.Equal(new EffectiveState(GrantStatus.Revoked, DenyReason.Revoked, _grandchild), _tree.Effective(_grandchild));
        Assert.True(_tree.Effective(_child).IsActive);
    }

    [Fact]
    public void Revoking_a_parent_denies_every_descendant_as_ancestor_revoked_decided_by_the_parent()
    {
        _tree.Revoke(_tree.RootId);

        Assert.Equal(new EffectiveState(GrantStatus.Revoked, DenyReason.Revoked, _tree.RootId), _tree.Effective(_tree.RootId));
        Assert.Equal(new EffectiveState(GrantStatus.Revoked, DenyReason.AncestorRevoked, _tree.RootId), _tree.Effective(_child));
        Assert.Equal(new EffectiveState(GrantStatus.Revoked, DenyReason.AncestorRevoked, _tree.RootId), _tree.Effective(_grandchild));
    }

    [Fact]
    public void The_nearest_revoked_ancestor_decides()
    {
        _tree.Revoke(_tree.RootId);
        _tree.Revoke(_child);

        Assert.Equal(new EffectiveState(GrantStatus.Revoked, DenyReason.AncestorRevoked, _child), _tree.Effective(_grandchild));
    }

    [Fact]
    public void A_suspended_grant_is_suspended_and_its_descendants_ancestor_suspended()
    {
        _tree.Suspend(_child);

        Assert.Equal(new EffectiveState(GrantStatus.Suspended, DenyReason.Suspended, _child), _tree.Effective(_child));
        Assert.Equal(new EffectiveState(GrantStatus.Suspended, DenyReason.AncestorSuspended, _child), _tree.Effective(_grandchild));
        Assert.True(_tree.Effective(_tree.RootId).IsActive);
    }

    [Fact]
    public void A_grant_expires_by_the_clock_at_its_expiry_without_any_event()
    {
        var expiresAt = _tree[_grandchild].Record.ExpiresAt;
        var version = _tree.State.Version;

        _tree.Now = expiresAt.AddTicks(-1);
        Assert.True(_tree.Effective(_grandchild).IsActive);

        _tree.Now = expiresAt;
        Assert.Equal(new EffectiveState(GrantStatus.Expired, DenyReason.Expired, _grandchild), _tree.Effective(_grandchild));
        Assert.Equal(GrantStatus.Active, _tree[_grandchild].Status);
        Assert.True(_tree.Effective(_child).IsActive);
        Assert.Equal(version, _tree.State.Version);
    }

    [Fact]
    public void An_expired_root_denies_its_whole_tree_by_the_clock()
    {
        _tree.Now = _tree[_tree.RootId].Record.ExpiresAt;

        Assert.Equal(DenyReason.Expired, _tree.Effective(_tree.RootId).Reason);
        Assert.Equal(new EffectiveState(GrantStatus.Expired, DenyReason.Expired, _child), _tree.Effective(_child));
    }

    [Fact]
    public void A_recorded_ancestor_expiry_denies_descendants_as_ancestor_expired_decided_by_that_ancestor()
    {
        _tree.Append(new GrantExpired(_child));

        Assert.Equal(new EffectiveState(GrantStatus.Expired, DenyReason.AncestorExpired, _child), _tree.Effective(_grandchild));
    }

    [Fact]
    public void Revoked_beats_expired_and_suspended_wherever_they_are_in_the_chain()
    {
        _tree.Suspend(_grandchild);
        _tree.Append(new GrantExpired(_child));
        _tree.Revoke(_tree.RootId);

        Assert.Equal(new EffectiveState(GrantStatus.Revoked, DenyReason.AncestorRevoked, _tree.RootId), _tree.Effective(_grandchild));
    }

    [Fact]
    public void Expired_beats_suspended_whether_the_expiry_is_by_the_clock_or_recorded()
    {
        _tree.Suspend(_grandchild);
        _tree.Append(new GrantExpired(_child));
        Assert.Equal(new EffectiveState(GrantStatus.Expired, DenyReason.AncestorExpired, _child), _tree.Effective(_grandchild));

        var other = new TreeBuilder(lifetime: TimeSpan.FromHours(1));
        var child = other.Delegate(other.RootId, 10);
        other.Suspend(other.RootId);
        other.Now = other[child].Record.ExpiresAt;
        Assert.Equal(new EffectiveState(GrantStatus.Expired, DenyReason.Expired, child), other.Effective(child));
    }

    [Fact]
    public void A_revoked_grant_beats_a_revoked_ancestor_and_a_suspended_grant_a_suspended_ancestor()
    {
        _tree.Revoke(_child);
        _tree.Revoke(_tree.RootId);
        Assert.Equal(new EffectiveState(GrantStatus.Revoked, DenyReason.Revoked, _child), _tree.Effective(_child));

        var other = new TreeBuilder();
        var child = other.Delegate(other.RootId, 10);
        other.Suspend(other.RootId);
        other.Suspend(child);
        Assert.Equal(new EffectiveState(GrantStatus.Suspended, DenyReason.Suspended, child), other.Effective(child));
    }

    [Fact]
    public void A_grant_past_its_own_expiry_is_expired_even_when_an_ancestor_is_suspended()
    {
        _tree.Suspend(_child);
        _tree.Now = _tree[_grandchild].Record.ExpiresAt;

        Assert.Equal(new EffectiveState(GrantStatus.Expired, DenyReason.Expired, _grandchild), _tree.Effective(_grandchild));
    }

    [Fact]
    public void Resuming_a_grant_under_a_suspended_parent_still_denies_it_as_ancestor_suspended()
    {
        _tree.Suspend(_grandchild);
        _tree.Suspend(_child);
        _tree.Resume(_grandchild);

        Assert.Equal(GrantStatus.Active, _tree[_grandchild].Status);
        Assert.Equal(new EffectiveState(GrantStatus.Suspended, DenyReason.AncestorSuspended, _child), _tree.Effective(_grandchild));

        _tree.Resume(_child);
        Assert.True(_tree.Effective(_grandchild).IsActive);
    }
}
