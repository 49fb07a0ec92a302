using Delegation.Api;
using Delegation.Grains.Budget;
using Delegation.Grains.Errors;
using Delegation.Grants;

namespace Delegation.Grains.Trees;

/// <summary>Addresses grants and leases through the tree grain their ids embed.</summary>
public static class TreeGrainFactoryExtensions
{
    /// <summary>The grant <paramref name="grantId"/>, in its tree's grain. A malformed id answers not found (or unknown_grant) without a grain call.</summary>
    public static GrantReference GetGrant(this IGrainFactory grains, string grantId) => new(grains, grantId);

    /// <summary>A new root grant with a fresh id; its tree does not exist until it is created.</summary>
    public static GrantReference NewRootGrant(this IGrainFactory grains) => new(grains, GrantId.NewRoot());

    /// <summary>The grain of tree <paramref name="treeId"/>.</summary>
    public static ITreeGrain GetTree(this IGrainFactory grains, string treeId)
    {
        ArgumentNullException.ThrowIfNull(grains);

        // GetGrain<T>(key) resolves T's grain interface type on every call (custom attributes, type names: about a
        // kilobyte and microseconds per check); the types are fixed, so resolve them once and address the grain by id.
        var types = TreeGrainTypes.Of(grains);
        return (ITreeGrain)grains.GetGrain(GrainId.Create(types.Grain, treeId), types.Interface);
    }

    /// <summary>Settles an outside holder's lease in the tree its id embeds.</summary>
    public static Task<SettleLeaseResponse> SettleLeaseAsync(this IGrainFactory grains, string leaseId, long used) =>
        LeaseId.TryGetTree(leaseId, out var treeId)
            ? grains.GetTree(treeId).SettleLeaseAsync(leaseId, used)
            : throw new NotFoundException($"No live lease {leaseId}: it was settled, it expired, or it never existed.");

    /// <summary>Approves or rejects an approval request in the tree its id embeds.</summary>
    public static Task<ApprovalView> DecideApprovalAsync(this IGrainFactory grains, string approvalId, bool approved, string actor, string? reason) =>
        Approvals.ApprovalId.TryGetTree(approvalId, out var treeId)
            ? grains.GetTree(treeId).DecideApprovalAsync(approvalId, approved, actor, reason)
            : throw new NotFoundException($"No open approval request {approvalId}: it was used, it expired, or it never existed.");
}
