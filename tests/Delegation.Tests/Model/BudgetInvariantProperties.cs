using Delegation.Events;
using Delegation.Grains.Errors;
using Delegation.Grains.Model;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Delegation.Tests.Model;

[Properties(Arbitrary = [typeof(BudgetRunGenerators)], MaxTest = 200)]
public class BudgetInvariantProperties
{
    /// <summary>
    /// Random commands through <see cref="TreeCommands"/> and Apply, as an activation runs them: after every step,
    /// at every grant, spent + reserved &lt;= limit, reserved is exactly what live leases in its subtree hold, and
    /// spent is exactly what settles and expiries in its subtree counted. A refused command changes nothing.
    /// </summary>
    [Property]
    public Property Spent_plus_reserved_never_exceeds_the_limit_at_any_grant_after_any_step(BudgetRun run)
    {
        var tree = new TreeBuilder(budget: run.RootBudget, lifetime: TimeSpan.FromDays(2));
        var spentAt = new Dictionary<string, long>(StringComparer.Ordinal);
        var applied = 0;
        foreach (var op in run.Ops)
        {
            var before = tree.State;
            try
            {
                applied += Step(tree, op, spentAt);
            }
            catch (DelegationException)
            {
                Assert.Same(before, tree.State);
            }

            AssertExact(tree.State, spentAt, op);
        }

        return true.Classify(tree.State.Grants.Count > 3, "several grants")
            .Classify(spentAt.Count > 0, "something spent")
            .Classify(applied > run.Ops.Length / 2, "most steps applied");
    }

    private static int Step(TreeBuilder tree, BudgetOp op, Dictionary<string, long> spentAt)
    {
        var grants = tree.State.Grants.Keys.Order(StringComparer.Ordinal).ToArray();
        var leases = tree.State.Leases.Keys.Order(StringComparer.Ordinal).ToArray();
        var version = tree.State.Version;
        switch (op)
        {
            case DelegateOp d:
                var parent = tree[grants[d.Parent % grants.Length]];
                var budget = d.Unlimited ? (long?)null : (tree.State.AvailableFor(parent) ?? 100) * d.BudgetPercent / 100;
                TimeSpan? lifetime = d.LifetimeMinutes == 0 ? null : TimeSpan.FromMinutes(d.LifetimeMinutes);
                tree.Delegate(parent.Id, budget, lifetime);
                break;
            case ReserveOp r:
                tree.Reserve(grants[r.Grant % grants.Length], r.Units, TimeSpan.FromMinutes(r.TtlMinutes));
                break;
            case SettleOp s when leases.Length > 0:
                var lease = tree.State.Leases[leases[s.Lease % leases.Length]];
                var used = lease.Units * s.UsedPercent / 100;
                tree.Settle(lease.LeaseId, used);
                Spend(spentAt, lease.GrantId, used);
                break;
            case AdvanceOp a:
                tree.Now += TimeSpan.FromMinutes(a.Minutes);
                foreach (var due in TreeCommands.DueEvents(tree.State, tree.Now))
                {
                    if (due is LeaseExpired expired)
                    {
                        var ended = tree.State.Leases[expired.LeaseId];
                        Spend(spentAt, ended.GrantId, ended.Units);
                    }

                    tree.Append(due);
                }

                break;
            case RevokeOp r:
                tree.Revoke(grants[r.Grant % grants.Length]);
                break;
            case SuspendOp s:
                tree.Suspend(grants[s.Grant % grants.Length]);
                break;
            case ResumeOp r:
                tree.Resume(grants[r.Grant % grants.Length]);
                break;
        }

        return tree.State.Version > version ? 1 : 0;
    }

    private static void Spend(Dictionary<string, long> spentAt, string grantId, long units) =>
        spentAt[grantId] = spentAt.GetValueOrDefault(grantId) + units;

    private static void AssertExact(TreeState state, Dictionary<string, long> spentAt, BudgetOp after)
    {
        var violations = BudgetInvariant.Violations(state).ToList();
        foreach (var node in state.Grants.Values)
        {
            var expected = state.SubtreeOf(node).Sum(n => spentAt.GetValueOrDefault(n.Id));
            if (node.Spent != expected)
            {
                violations.Add($"{node.Id}: spent {node.Spent}, but settles and expiries in its subtree counted {expected}");
            }
        }

        Assert.True(violations.Count == 0, $"after {after}: {string.Join("; ", violations)}");
    }
}
