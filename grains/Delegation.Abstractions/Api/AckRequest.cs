namespace Delegation.Api;

/// <summary>
/// Body of <c>POST /v1/enforcers/ack</c>: enforcer <paramref name="Enforcer"/> has applied the feed up to
/// <paramref name="Seq"/>, on its open feed stream <paramref name="Connection"/> (the id its first heartbeat carried).
/// </summary>
public sealed record AckRequest(string? Enforcer, long? Seq, string? Connection = null);
