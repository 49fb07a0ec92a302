using Delegation.Grants;

namespace Delegation.Client;

/// <summary>What verifying an access token found: its grant, or why it is refused.</summary>
/// <param name="GrantId">The grant the token names, when valid.</param>
/// <param name="Reason"><see cref="DenyReason.None"/> when valid.</param>
/// <param name="BoundTo">The DPoP key thumbprint the token is bound to (<c>cnf.jkt</c>), or null for a bearer token.</param>
internal readonly record struct AccessTokenCheck(string? GrantId, DenyReason Reason, string? BoundTo)
{
    public static AccessTokenCheck Valid(string grantId, string? boundTo) => new(grantId, DenyReason.None, boundTo);

    public static AccessTokenCheck Refused(DenyReason reason) => new(null, reason, null);
}
