using Delegation.Api;
using Delegation.Grains.Model;
using Delegation.Grains.Trees;
using Delegation.Grants;

namespace Delegation.Grains.Audit;

/// <summary>Builds decision log entries from a check's answer and the state it was decided on.</summary>
public static class DecisionRecords
{
    /// <summary>The entry for one check.</summary>
    public static DecisionRecord From(
        CheckResult result, TreeState? state, string action, string? resource, long cost, string enforcer, DateTimeOffset time, TimeSpan latency)
    {
        var node = state?.Find(result.GrantId);
        return new DecisionRecord(
            time,
            GrantId.IsValid(result.GrantId) ? result.GrantId : null,
            node is null ? [] : ChainOf(state!, node),
            node?.Record.Agent,
            node?.Record.User,
            action,
            resource,
            cost,
            result.Decision,
            result.IsAllowed ? null : result.Reason,
            result.DecidedBy,
            enforcer,
            latency.TotalMicroseconds);
    }

    /// <summary>The grant ids from the root down to <paramref name="node"/>.</summary>
    public static string[] ChainOf(TreeState state, GrantNode node)
    {
        var chain = new string[node.Record.Depth + 1];
        var i = chain.Length;
        for (var n = node; n is not null && i > 0; n = n.Record.ParentId is { } p ? state.Find(p) : null)
        {
            chain[--i] = n.Id;
        }

        return chain;
    }
}
