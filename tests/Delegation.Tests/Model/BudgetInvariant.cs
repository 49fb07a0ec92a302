using Delegation.Grains.Model;

namespace Delegation.Tests.Model;

/// <summary>The budget invariants of a tree's state, checked exactly at every grant.</summary>
internal static class BudgetInvariant
{
    /// <summary>
    /// Every way the state breaks the budget rules: at every budgeted grant spent + reserved &lt;= limit, nothing is
    /// negative, and each grant's reserved is exactly the sum of the live leases taken in its subtree.
    /// </summary>
    public static IReadOnlyList<string> Violations(TreeState state)
    {
        var violations = new List<string>();
        foreach (var node in state.Grants.Values)
        {
            if (node.Spent < 0 || node.Reserved < 0)
            {
                violations.Add($"{node.Id}: spent {node.Spent}, reserved {node.Reserved}");
            }

            if (node.Record.Budget is { } limit && node.Spent + node.Reserved > limit)
            {
                violations.Add($"{node.Id}: spent {node.Spent} + reserved {node.Reserved} > limit {limit}");
            }

            var subtree = state.SubtreeOf(node).Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
            var leased = state.Leases.Values.Where(l => subtree.Contains(l.GrantId)).Sum(l => l.Units);
            if (node.Reserved != leased)
            {
                violations.Add($"{node.Id}: reserved {node.Reserved}, but live leases in its subtree hold {leased}");
            }
        }

        return violations;
    }

    public static void AssertHolds(TreeState state)
    {
        var violations = Violations(state);
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }
}
