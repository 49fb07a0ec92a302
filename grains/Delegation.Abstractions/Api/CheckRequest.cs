namespace Delegation.Api;

/// <summary>Body of <c>POST /v1/check</c>: may the holder of this grant do this action on this resource at this cost now?</summary>
/// <param name="Token">The agent's grant token; give this or <paramref name="GrantId"/>.</param>
/// <param name="GrantId">The grant, when the enforcer has already verified the token itself.</param>
/// <param name="Action">A concrete action, e.g. <c>tickets:read</c>.</param>
/// <param name="Resource">A concrete resource path, e.g. <c>projects/42</c>, or null.</param>
/// <param name="Cost">Units to spend when allowed (default 0).</param>
/// <param name="ApprovalId">An approved approval request for exactly this request, presented on the retry (used up when allowed).</param>
public sealed record CheckRequest(string? Token, string? GrantId, string? Action, string? Resource = null, long? Cost = null, string? ApprovalId = null);
