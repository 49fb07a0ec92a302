namespace Delegation.Api;

/// <summary>Answer to <c>GET /v1/enforcers</c>: every enforcer this silo knows, and the feed head.</summary>
public sealed record EnforcersResponse(long Head, IReadOnlyList<EnforcerView> Enforcers);
