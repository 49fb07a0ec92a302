namespace Delegation.Silo.OAuth;

/// <summary>An access token just signed.</summary>
/// <param name="Token">The compact JWT.</param>
/// <param name="ExpiresAt">Its <c>exp</c>.</param>
/// <param name="Scope">Its <c>scope</c> (space-separated permissions).</param>
public sealed record IssuedAccessToken(string Token, DateTimeOffset ExpiresAt, string Scope);
