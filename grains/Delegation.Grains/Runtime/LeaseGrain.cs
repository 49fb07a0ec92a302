using Delegation.Api;
using Delegation.Grains.Errors;
using Delegation.Grains.Model;

namespace Delegation.Grains.Runtime;

/// <summary>A lease reference: settles in its tree's activation.</summary>
internal sealed class LeaseGrain(string leaseId, string treeId, GrainContext context) : ILeaseGrain
{
    public async Task<SettleLeaseResponse> SettleAsync(long used, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var activation = await context.Directory.GetExistingAsync(treeId, cancellationToken).ConfigureAwait(false)
                ?? throw new NotFoundException($"No live lease {leaseId}: it was settled, it expired, or it never existed.");
            try
            {
                var outcome = await activation.WriteAsync(
                    (state, now) =>
                    {
                        var settled = TreeCommands.SettleLease(state, leaseId, used, now);
                        return new TurnDecision<long>([settled], state.Leases[leaseId].Units - used);
                    },
                    cancellationToken).ConfigureAwait(false);
                return new SettleLeaseResponse(leaseId, used, outcome.Value, outcome.After.Version);
            }
            catch (ActivationDeactivatedException)
            {
                // Collected between lookup and turn: ask the directory again.
            }
        }
    }
}
