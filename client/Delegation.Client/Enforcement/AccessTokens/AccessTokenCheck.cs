using Delegation.Grants;

namespace Delegation.Client;

/// <summary>What verifying an access token found: its grant, or why it is refused.</summary>
/// <param name="GrantId">The grant the token names, when valid.</param>
/// <param name="Reason"><see cref="DenyReason.None"/> when valid.</param>
internal readonly record struct AccessTokenCheck(string? GrantId, DenyReason Reason)
{
    public static AccessTokenCheck Valid(string grantId) => new(grantId, DenyReason.None);

    public static AccessTokenCheck Refused(DenyReason reason) => new(null, reason);
}
