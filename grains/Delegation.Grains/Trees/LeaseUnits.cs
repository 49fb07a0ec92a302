using Delegation.Events;
using Delegation.Grains.Metrics;
using Delegation.Grains.Model;

namespace Delegation.Grains.Trees;

/// <summary>
/// The budget units one write moves through leases (reserved, spent, released, expired), read off its events, so that
/// every lease path (the tree's own for remote checks, an enforcer's, the timer's expiry) is counted in one place and
/// only once the append succeeded.
/// </summary>
internal readonly record struct LeaseUnits(long Reserved, long Spent, long Released, long Expired)
{
    /// <summary>Adds what <paramref name="e"/> moves, given the state just before it.</summary>
    public LeaseUnits Add(TreeState before, TreeEvent e) => e switch
    {
        LeaseReserved reserved => this with { Reserved = Reserved + reserved.Units },
        LeaseSettled settled when before.Leases.TryGetValue(settled.LeaseId, out var lease) =>
            this with { Spent = Spent + settled.Used, Released = Released + Math.Max(0, lease.Units - settled.Used) },
        LeaseExpired expired when before.Leases.TryGetValue(expired.LeaseId, out var lease) => this with { Expired = Expired + lease.Units },
        _ => this,
    };

    /// <summary>Records the non-zero amounts.</summary>
    public void Record(DelegationMetrics? metrics)
    {
        if (metrics is null)
        {
            return;
        }

        Record(metrics, "reserved", Reserved);
        Record(metrics, "spent", Spent);
        Record(metrics, "released", Released);
        Record(metrics, "expired", Expired);
    }

    private static void Record(DelegationMetrics metrics, string operation, long units)
    {
        if (units > 0)
        {
            metrics.LeaseUnits(operation, units);
        }
    }
}
