using System.Globalization;
using System.Text;
using Delegation.Grains.Model;

namespace Delegation.Tests.Model;

/// <summary>
/// A tree's state as text, every field that folding decides in a stable order, so that two states compare with
/// <c>Assert.Equal</c> and a difference shows as a readable diff (the state has no value equality of its own).
/// </summary>
internal static class StateDump
{
    public static string Of(TreeState state)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"tree {state.TreeId} v{state.Version}").AppendLine();
        foreach (var node in state.Grants.Values.OrderBy(n => n.Id, StringComparer.Ordinal))
        {
            var r = node.Record;
            text.Append(CultureInfo.InvariantCulture, $"grant {r.Id} parent={r.ParentId} root={r.RootId} depth={r.Depth} user={r.User} agent={r.Agent}")
                .Append(CultureInfo.InvariantCulture, $" scope=[{string.Join(",", r.Scope)}] budget={r.Budget} expires={r.ExpiresAt.UtcTicks} maxDepth={r.MaxDepth}")
                .Append(CultureInfo.InvariantCulture, $" purpose={r.Purpose} created={r.CreatedAt.UtcTicks} hash={r.TokenHash}")
                .Append(CultureInfo.InvariantCulture, $" status={node.Status} spent={node.Spent} reserved={node.Reserved}")
                .Append(CultureInfo.InvariantCulture, $" children=[{string.Join(",", state.ChildrenOf(r.Id))}]")
                .AppendLine();
        }

        foreach (var lease in state.Leases.Values.OrderBy(l => l.LeaseId, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"lease {lease.LeaseId} grant={lease.GrantId} units={lease.Units} holder={lease.Holder} expires={lease.ExpiresAt.UtcTicks}")
                .AppendLine();
        }

        return text.ToString();
    }
}
