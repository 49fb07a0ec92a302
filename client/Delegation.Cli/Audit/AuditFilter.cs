using System.Globalization;
using System.Text;
using Delegation.Cli.Grants;
using Delegation.Grants;

namespace Delegation.Cli.Audit;

/// <summary>The filters of <c>GET /v1/audit</c> that <c>audit tail</c> passes through; they combine with AND.</summary>
internal sealed record AuditFilter(string? Agent, string? User, string? GrantId, bool Subtree, string? Action, Decision? Decision)
{
    /// <summary>The query string of one page: these filters, decisions at or after <paramref name="from"/>, a page size and a cursor.</summary>
    public string Uri(DateTimeOffset? from, int limit, string? cursor)
    {
        var query = new StringBuilder("v1/audit?limit=").Append(limit.ToString(CultureInfo.InvariantCulture));
        Add(query, "agent", Agent);
        Add(query, "user", User);
        Add(query, "grant", GrantId);
        Add(query, "subtree", Subtree ? "true" : null);
        Add(query, "action", Action);
        Add(query, "decision", Decision is { } decision ? WireNames.Of(decision) : null);
        Add(query, "from", from?.ToString("O", CultureInfo.InvariantCulture));
        Add(query, "cursor", cursor);
        return query.ToString();
    }

    private static void Add(StringBuilder query, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            query.Append('&').Append(name).Append('=').Append(System.Uri.EscapeDataString(value));
        }
    }
}
