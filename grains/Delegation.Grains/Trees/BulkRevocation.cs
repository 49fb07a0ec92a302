using Delegation.Api;
using Delegation.Grains.Errors;
using Delegation.Grains.Model;
using Delegation.Grains.Storage;

namespace Delegation.Grains.Trees;

/// <summary>
/// The kill switches: revoke everything an agent holds (a compromised agent) or everything given on behalf of a
/// person (offboarding). Each tree is revoked atomically; the trees are written one after another.
/// </summary>
public sealed class BulkRevocation(IEventStore store, IGrainFactory grains)
{
    /// <summary>Revokes every grant held by <paramref name="agent"/>, in every tree.</summary>
    public async Task<StatusChangeResponse> RevokeAgentAsync(string agent, string? reason, string actor, CancellationToken cancellationToken = default)
    {
        RequestRules.Name(agent, "agent");
        var grants = await Query(() => store.FindGrantsByAgentAsync(agent, cancellationToken)).ConfigureAwait(false);
        return await RevokeAllAsync(grants, reason, actor, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Revokes every root grant given on behalf of <paramref name="user"/>, and so every delegation under them.</summary>
    public async Task<StatusChangeResponse> RevokeUserAsync(string user, string? reason, string actor, CancellationToken cancellationToken = default)
    {
        RequestRules.Name(user, "user");
        var grants = await Query(() => store.FindRootGrantsByUserAsync(user, cancellationToken)).ConfigureAwait(false);
        return await RevokeAllAsync(grants, reason, actor, cancellationToken).ConfigureAwait(false);
    }

    private async Task<StatusChangeResponse> RevokeAllAsync(IReadOnlyList<GrantLocator> grants, string? reason, string actor, CancellationToken cancellationToken)
    {
        RequestRules.Text(reason, "reason");
        var affected = 0;
        long? feedSeq = null;
        var trees = new HashSet<string>(StringComparer.Ordinal);
        foreach (var locator in grants)
        {
            var result = await grains.GetGrant(locator.GrantId).RevokeAsync(reason, actor).ConfigureAwait(false);
            if (result.Affected > 0)
            {
                affected += result.Affected;
                trees.Add(locator.TreeId);
                feedSeq = Math.Max(feedSeq ?? 0, result.FeedSeq ?? 0);
            }
        }

        return new StatusChangeResponse(affected, null, trees.Count, FeedSeq: feedSeq);
    }

    private static async Task<IReadOnlyList<GrantLocator>> Query(Func<Task<IReadOnlyList<GrantLocator>>> query)
    {
        try
        {
            return await query().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not DelegationException)
        {
            throw new AuthorityUnavailableException("The store could not be queried.", ex);
        }
    }
}
