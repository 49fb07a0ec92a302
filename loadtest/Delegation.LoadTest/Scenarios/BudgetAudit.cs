using System.Diagnostics;
using Delegation.Api;
using Delegation.Client;
using Delegation.LoadTest.Reporting;

namespace Delegation.LoadTest.Scenarios;

/// <summary>
/// The final audit of a budget run: once every lease is settled, every grant of the tree must have
/// spent + reserved &lt;= limit, and what the tree spent must equal the cost the spenders were allowed.
/// </summary>
public static class BudgetAudit
{
    /// <summary>Waits (bounded) for the tree's leases to settle, then checks the invariants and reports them.</summary>
    /// <param name="admin">A client allowed to read the tree.</param>
    /// <param name="rootId">The tree.</param>
    /// <param name="allowedCost">Units the spenders were allowed in all.</param>
    /// <param name="label">Which path the spending went through, for the fact names.</param>
    /// <param name="facts">Where to add the findings.</param>
    /// <param name="settleTimeout">How long to wait for leases to settle.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>True when the audit passed.</returns>
    public static async Task<bool> RunAsync(
        DelegationClient admin, string rootId, long allowedCost, string label, List<Fact> facts, TimeSpan settleTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(facts);
        var clock = Stopwatch.StartNew();
        TreeResponse tree;
        do
        {
            tree = await admin.GetTreeAsync(rootId, cancellationToken).ConfigureAwait(false);
            if (tree.Grants.All(g => g.Budget is null || g.Budget.Reserved == 0))
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
        }
        while (clock.Elapsed < settleTimeout);

        var root = tree.Grants.Single(g => g.Id == rootId).Budget!;
        var worst = tree.Grants.Where(g => g.Budget is not null).Max(g => g.Budget!.Spent + g.Budget.Reserved - g.Budget.Limit);
        var reservedLeft = tree.Grants.Where(g => g.Budget is not null).Sum(g => g.Budget!.Reserved);
        var invariant = worst <= 0;
        var accounted = root.Spent == allowedCost && reservedLeft == 0;
        facts.Add(new Fact($"{label}: units allowed", allowedCost, string.Empty, "sum of the cost of every allowed check"));
        facts.Add(new Fact($"{label}: units spent at the root", root.Spent, string.Empty, $"limit {root.Limit:N0}; {root.Reserved:N0} still reserved after {clock.Elapsed.TotalSeconds:F1} s"));
        facts.Add(new Fact($"{label}: overspend", Math.Max(0, worst), string.Empty, invariant ? "spent + reserved <= limit at every grant" : "INVARIANT BROKEN: spent + reserved > limit"));
        facts.Add(new Fact($"{label}: audit", invariant && accounted ? 1 : 0, string.Empty, invariant && accounted
            ? "pass: no overspend, spent equals the allowed cost"
            : $"FAIL: spent {root.Spent:N0} vs allowed {allowedCost:N0}, {reservedLeft:N0} reserved"));
        return invariant && accounted;
    }
}
