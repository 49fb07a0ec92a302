using Delegation.Events;
using Delegation.Grains.Model;
using Delegation.Grants;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Delegation.Tests.Model;

/// <summary>
/// The affected count a status change reports, from the kept reach or in one pass over the grants it reaches, equals
/// its definition: the grants of the subtree whose effective activeness differs between the two states.
/// </summary>
public sealed class CountAffectedProperties
{
    [Property(MaxTest = 300)]
    public Property The_one_pass_count_equals_the_definition_on_random_trees(PositiveInt seed) =>
        Prop.ToProperty(Agrees(seed.Get));

    // As the tree grain runs: its timer has recorded every expiry due by now, so the count is the kept reach of the
    // changed grant, which must still equal the definition after any history of delegations and status changes.
    [Property(MaxTest = 300)]
    public Property The_kept_reach_equals_the_definition_once_every_due_expiry_is_recorded(PositiveInt seed) =>
        Prop.ToProperty(Agrees(seed.Get, recordDueExpiries: true));

    private static bool Agrees(int seed, bool recordDueExpiries = false)
    {
        var random = new Random(seed);
        var tree = new TreeBuilder(budget: null, lifetime: TimeSpan.FromHours(2));
        var ids = new List<string> { tree.RootId };
        for (var i = random.Next(1, 30); i > 0; i--)
        {
            var parent = ids[random.Next(ids.Count)];
            var left = (int)(tree[parent].Record.ExpiresAt - tree.Now).TotalMinutes;
            if (tree[parent].Record.Depth < 6 && left > 1)
            {
                ids.Add(tree.Delegate(parent, budget: null, lifetime: TimeSpan.FromMinutes(random.Next(1, left))));
            }
        }

        // Some grants suspended or revoked; the clock moved so that some have expired by the clock alone.
        foreach (var id in ids.Where(_ => random.Next(5) == 0))
        {
            if (random.Next(2) == 0 && tree[id].Status == GrantStatus.Active)
            {
                tree.Suspend(id);
            }
            else if (tree[id].Status != GrantStatus.Revoked)
            {
                tree.Revoke(id);
            }
        }

        tree.Now = TreeBuilder.T0 + TimeSpan.FromMinutes(random.Next(0, 60));
        if (recordDueExpiries)
        {
            foreach (var id in ids.Where(id => tree[id].Status is GrantStatus.Active or GrantStatus.Suspended && tree[id].Record.ExpiresAt <= tree.Now))
            {
                tree.Append(new GrantExpired(id));
            }

            Assert.True(tree.State.NoGrantDueBy(tree.Now));
        }
        var target = ids[random.Next(ids.Count)];
        var before = tree.State;
        var status = tree[target].Status;
        switch (random.Next(3))
        {
            case 0 when status != GrantStatus.Revoked && status != GrantStatus.Expired:
                tree.Revoke(target);
                break;
            case 1 when status == GrantStatus.Active:
                tree.Suspend(target);
                break;
            case 2 when status == GrantStatus.Suspended && tree.Now < tree[target].Record.ExpiresAt:
                tree.Resume(target);
                break;
            default:
                return true;
        }

        return TreeCommands.CountAffected(before, tree.State, target, tree.Now) == Definition(before, tree.State, target, tree.Now);
    }

    private static int Definition(TreeState before, TreeState after, string grantId, DateTimeOffset now) =>
        after.SubtreeOf(after.Grants[grantId]).Count(node =>
            (before.Find(node.Id) is { } old && before.EffectiveOf(old, now).IsActive) != after.EffectiveOf(node, now).IsActive);
}
