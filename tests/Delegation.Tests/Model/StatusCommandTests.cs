using Delegation.Api;
using Delegation.Events;
using Delegation.Grains.Errors;
using Delegation.Grains.Model;
using Delegation.Grants;

namespace Delegation.Tests.Model;

public class StatusCommandTests
{
    private readonly TreeBuilder _tree = new(lifetime: TimeSpan.FromHours(2));
    private readonly string _child;
    private readonly string _grandchild;
    private readonly string _sibling;

    public StatusCommandTests()
    {
        _child = _tree.Delegate(_tree.RootId, 50);
        _grandchild = _tree.Delegate(_child, 20);
        _sibling = _tree.Delegate(_tree.RootId, 50);
    }

    [Fact]
    public void Revoke_decides_one_event_whatever_the_subtree_size_and_revoking_again_decides_nothing()
    {
        var revoked = Assert.IsType<GrantRevoked>(TreeCommands.Revoke(_tree.State, _tree.RootId, "compromised", "admin"));
        Assert.Equal(new GrantRevoked(_tree.RootId, "compromised", "admin"), revoked);

        _tree.Append(revoked);

        Assert.Null(TreeCommands.Revoke(_tree.State, _tree.RootId, null, "admin"));
    }

    [Fact]
    public void Suspend_an_active_grant_decides_an_event_and_a_suspended_one_nothing()
    {
        Assert.Equal(new GrantSuspended(_child, "look", "ops"), TreeCommands.Suspend(_tree.State, _child, "look", "ops"));
        _tree.Suspend(_child);

        Assert.Null(TreeCommands.Suspend(_tree.State, _child, null, "ops"));
    }

    [Fact]
    public void Suspending_a_revoked_or_expired_grant_is_a_conflict()
    {
        _tree.Revoke(_child);
        _tree.Append(new GrantExpired(_sibling));

        var revoked = Assert.Throws<ConflictException>(() => TreeCommands.Suspend(_tree.State, _child, null, "ops"));
        var expired = Assert.Throws<ConflictException>(() => TreeCommands.Suspend(_tree.State, _sibling, null, "ops"));

        Assert.Equal(ErrorCodes.Conflict, revoked.Code);
        Assert.Equal($"Grant {_child} is revoked; only an active grant can be suspended.", revoked.Message);
        Assert.Contains("is expired", expired.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resume_a_suspended_grant_decides_an_event_and_an_active_one_nothing()
    {
        Assert.Null(TreeCommands.Resume(_tree.State, _child, null, "ops", _tree.Now));
        _tree.Suspend(_child);

        Assert.Equal(new GrantResumed(_child, "ok", "ops"), TreeCommands.Resume(_tree.State, _child, "ok", "ops", _tree.Now));
    }

    [Fact]
    public void A_revoked_grant_cannot_resume()
    {
        _tree.Revoke(_child);

        var error = Assert.Throws<ConflictException>(() => TreeCommands.Resume(_tree.State, _child, null, "ops", _tree.Now));

        Assert.Equal($"Grant {_child} is revoked; only a suspended grant can resume.", error.Message);
    }

    [Fact]
    public void A_suspended_grant_past_its_expiry_cannot_resume_even_before_its_expiry_is_recorded()
    {
        _tree.Suspend(_child);
        _tree.Now = _tree[_child].Record.ExpiresAt;

        var error = Assert.Throws<ConflictException>(() => TreeCommands.Resume(_tree.State, _child, null, "ops", _tree.Now));

        Assert.Equal($"Grant {_child} has expired; it cannot resume.", error.Message);
    }

    [Fact]
    public void Status_commands_on_an_unknown_grant_are_not_found()
    {
        var missing = GrantId.NewChild(_tree.RootId);

        Assert.Equal(ErrorCodes.NotFound, Assert.Throws<NotFoundException>(() => TreeCommands.Revoke(_tree.State, missing, null, "a")).Code);
        Assert.Equal($"No grant {missing}.", Assert.Throws<NotFoundException>(() => TreeCommands.Suspend(_tree.State, missing, null, "a")).Message);
        Assert.Throws<NotFoundException>(() => TreeCommands.Resume(_tree.State, missing, null, "a", _tree.Now));
    }

    [Fact]
    public void A_reason_longer_than_the_limit_is_a_validation_failure()
    {
        var reason = new string('r', ModelLimits.MaxTextLength + 1);

        var error = Assert.Throws<RequestValidationException>(() => TreeCommands.Revoke(_tree.State, _child, reason, "a"));

        Assert.Equal(ErrorCodes.ValidationFailed, error.Code);
        Assert.Equal($"'reason' must be at most {ModelLimits.MaxTextLength} characters.", error.Message);
    }

    [Fact]
    public void CountAffected_counts_the_grants_of_the_subtree_whose_activeness_changed()
    {
        var beforeRevoke = _tree.State;
        _tree.Revoke(_child);
        Assert.Equal(2, TreeCommands.CountAffected(beforeRevoke, _tree.State, _child, _tree.Now));

        var beforeRoot = _tree.State;
        _tree.Revoke(_tree.RootId);
        Assert.Equal(2, TreeCommands.CountAffected(beforeRoot, _tree.State, _tree.RootId, _tree.Now));
    }

    [Fact]
    public void CountAffected_of_a_suspend_and_its_resume_are_equal()
    {
        var before = _tree.State;
        _tree.Suspend(_tree.RootId);
        var suspended = _tree.State;
        _tree.Resume(_tree.RootId);

        Assert.Equal(4, TreeCommands.CountAffected(before, suspended, _tree.RootId, _tree.Now));
        Assert.Equal(4, TreeCommands.CountAffected(suspended, _tree.State, _tree.RootId, _tree.Now));
    }

    [Fact]
    public void DueEvents_expire_the_active_and_suspended_grants_whose_time_has_come_and_the_leases_that_ended()
    {
        var tree = new TreeBuilder(budget: 100, lifetime: TimeSpan.FromHours(2));
        var early = tree.Delegate(tree.RootId, 10, lifetime: TimeSpan.FromMinutes(5));
        var suspended = tree.Delegate(tree.RootId, 10, lifetime: TimeSpan.FromMinutes(5));
        var revoked = tree.Delegate(tree.RootId, 10, lifetime: TimeSpan.FromMinutes(1));
        var late = tree.Delegate(tree.RootId, 10, lifetime: TimeSpan.FromMinutes(30));
        tree.Suspend(suspended);
        tree.Revoke(revoked);
        var shortLease = tree.Reserve(late, 3, TimeSpan.FromMinutes(4));
        var longLease = tree.Reserve(late, 3, TimeSpan.FromMinutes(10));

        Assert.Equal(shortLease.ExpiresAt, tree.State.NextDueAt());
        Assert.Empty(TreeCommands.DueEvents(tree.State, shortLease.ExpiresAt.AddTicks(-1)));

        var due = TreeCommands.DueEvents(tree.State, TreeBuilder.T0.AddMinutes(5));

        Assert.Equal(
            new TreeEvent[] { new GrantExpired(early), new GrantExpired(suspended), new LeaseExpired(shortLease.LeaseId) }.OrderBy(e => e.ToString()),
            due.OrderBy(e => e.ToString()));
        foreach (var e in due)
        {
            tree.Append(e);
        }

        Assert.Equal(longLease.ExpiresAt, tree.State.NextDueAt());
        Assert.Empty(TreeCommands.DueEvents(tree.State, TreeBuilder.T0.AddMinutes(5)));
    }

    [Fact]
    public void Nothing_is_due_in_a_tree_whose_grants_are_all_revoked_or_expired()
    {
        var tree = new TreeBuilder();
        var child = tree.Delegate(tree.RootId, 10);
        tree.Revoke(tree.RootId);
        tree.Append(new GrantExpired(child));

        Assert.Null(tree.State.NextDueAt());
        Assert.Empty(TreeCommands.DueEvents(tree.State, DateTimeOffset.MaxValue));
    }
}
