using Delegation.Grains.Audit;
using Delegation.Grains.Budget;
using Delegation.Grains.Metrics;
using Delegation.Grains.Errors;
using Delegation.Grants;

namespace Delegation.Grains.Runtime;

/// <summary>Hands out grain references by id; references are cheap and activate their tree on first use.</summary>
public sealed class GrainFactory
{
    private readonly GrainContext _context;

    /// <summary>Creates a factory over a silo's directory and lease bank.</summary>
    public GrainFactory(TreeDirectory directory, TimeProvider time, SiloLeaseBank bank, DecisionRecorder? decisions = null, DelegationMetrics? metrics = null)
    {
        _context = new GrainContext(directory, time, bank, decisions, metrics);
    }

    /// <summary>
    /// A reference to the grant <paramref name="grantId"/>. An id that is not shaped like a grant id gives a
    /// reference whose calls answer not found (or unknown_grant for checks).
    /// </summary>
    public IGrantGrain GetGrantGrain(string grantId) => new GrantGrain(grantId, _context);

    /// <summary>A reference to a lease.</summary>
    public ILeaseGrain GetLeaseGrain(string leaseId) =>
        LeaseId.TryGetTree(leaseId, out var treeId)
            ? new LeaseGrain(leaseId, treeId, _context)
            : throw new NotFoundException($"No live lease {leaseId}: it was settled, it expired, or it never existed.");

    /// <summary>A reference to a new root grant with a fresh id.</summary>
    public IGrantGrain NewRootGrain() => GetGrantGrain(GrantId.NewRoot());
}
