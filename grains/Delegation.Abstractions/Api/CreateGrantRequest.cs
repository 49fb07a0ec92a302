using Delegation.Grants;
using Orleans;
namespace Delegation.Api;

/// <summary>Body of <c>POST /v1/grants</c>: a person grants an agent a root grant.</summary>
/// <param name="User">The person on whose behalf the agent will act.</param>
/// <param name="Agent">The agent that will hold the grant.</param>
/// <param name="Scope">Permissions, each <c>action[@resource]</c>.</param>
/// <param name="Budget">Units the grant may spend in all, or null for no limit.</param>
/// <param name="ExpiresAt">Absolute expiry; give this or <paramref name="TtlSeconds"/>, not both.</param>
/// <param name="TtlSeconds">Expiry relative to now.</param>
/// <param name="MaxDepth">Greatest depth of any descendant (default 8, at most 32).</param>
/// <param name="Purpose">Free text for operators.</param>
/// <param name="Rate">How fast the grant may be used (a delegation's at most its parent's), or null.</param>
[GenerateSerializer, Immutable, Alias("delegation.CreateGrantRequest")]
public sealed record CreateGrantRequest(
    string? User,
    string? Agent,
    IReadOnlyList<string>? Scope,
    long? Budget = null,
    DateTimeOffset? ExpiresAt = null,
    long? TtlSeconds = null,
    int? MaxDepth = null,
    string? Purpose = null,
    RateLimit? Rate = null);
