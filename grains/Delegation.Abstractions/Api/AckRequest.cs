namespace Delegation.Api;

/// <summary>Body of <c>POST /v1/enforcers/ack</c>: enforcer <paramref name="Enforcer"/> has applied the feed up to <paramref name="Seq"/>.</summary>
public sealed record AckRequest(string? Enforcer, long? Seq);
