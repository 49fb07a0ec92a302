using Delegation.Grants;

namespace Delegation.Grains.Audit;

/// <summary>Filters of the decision log; every filter is optional and they combine with AND.</summary>
/// <param name="Agent">Decisions about grants held by this agent.</param>
/// <param name="User">Decisions on behalf of this person.</param>
/// <param name="GrantId">Decisions about this grant (and, with <paramref name="Subtree"/>, any grant under it).</param>
/// <param name="Subtree">Include the subtree of <paramref name="GrantId"/>.</param>
/// <param name="Action">Decisions about exactly this action.</param>
/// <param name="Decision">Only allows or only denies.</param>
/// <param name="From">At or after this time.</param>
/// <param name="To">Before this time.</param>
/// <param name="Before">Paging: only entries older than this cursor (exclusive).</param>
/// <param name="Limit">Page size.</param>
public sealed record AuditQuery(
    string? Agent = null,
    string? User = null,
    string? GrantId = null,
    bool Subtree = false,
    string? Action = null,
    Decision? Decision = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    long? Before = null,
    int Limit = 100);
