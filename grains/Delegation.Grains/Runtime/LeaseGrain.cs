using Delegation.Api;
using Delegation.Grains.Budget;
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
                        if (LeaseId.IsSiloHeld(leaseId) && state.Leases.ContainsKey(leaseId))
                        {
                            // A silo spends from its leases in memory; only it may settle them, or units could be spent twice.
                            throw new ConflictException($"Lease {leaseId} is held by a silo; only that silo settles it.");
                        }

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
