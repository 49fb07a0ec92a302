using Delegation.Grains.Audit;
using Delegation.Grains.Budget;
using Delegation.Grains.Metrics;

namespace Delegation.Grains.Runtime;

/// <summary>What every grain reference of a silo shares: the directory, the clock, the lease bank and the decision log.</summary>
internal sealed record GrainContext(TreeDirectory Directory, TimeProvider Time, SiloLeaseBank Bank, DecisionRecorder? Decisions, DelegationMetrics? Metrics)
{
    /// <summary>The silo's name, as written on its leases and decisions.</summary>
    public string Holder => Bank.Holder;
}
