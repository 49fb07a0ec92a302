using Delegation.Grants;
using Orleans;
namespace Delegation.Api;

/// <summary>Body of <c>POST /v1/grants/{id}/delegations</c>: a narrower grant for a sub-agent.</summary>
/// <param name="Agent">The sub-agent that will hold the delegation.</param>
/// <param name="Scope">Permissions; each must be covered by the parent's scope.</param>
/// <param name="Budget">At most the parent's remaining budget; may be null (no limit) only when no ancestor has a limit.</param>
/// <param name="ExpiresAt">At most the parent's expiry; give this or <paramref name="TtlSeconds"/>, not both.</param>
/// <param name="TtlSeconds">Expiry relative to now.</param>
/// <param name="MaxDepth">At most the parent's; defaults to the parent's.</param>
/// <param name="Purpose">Free text for operators.</param>
/// <param name="Rate">How fast the grant may be used (a delegation's at most its parent's), or null.</param>
[GenerateSerializer, Immutable, Alias("delegation.DelegateRequest")]
public sealed record DelegateRequest(
    string? Agent,
    IReadOnlyList<string>? Scope,
    long? Budget = null,
    DateTimeOffset? ExpiresAt = null,
    long? TtlSeconds = null,
    int? MaxDepth = null,
    string? Purpose = null,
    RateLimit? Rate = null);
