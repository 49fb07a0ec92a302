using System.Collections.Frozen;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;

namespace Delegation.Silo.Security;

/// <summary>
/// The principals of <see cref="CredentialAuthentication.Scheme"/>. A key stands for its role alone, so each role's
/// result is built once and shared by every request (the check endpoint is hot); a holder's carries its grant id.
/// </summary>
public static class CallerPrincipals
{
    private static readonly FrozenDictionary<CallerRole, AuthenticateResult> KeyResults =
        Enum.GetValues<CallerRole>().Where(role => role != CallerRole.Holder).ToFrozenDictionary(role => role, role => Succeed(Principal(role, null)));

    /// <summary>The claim value of a role.</summary>
    public static string RoleName(CallerRole role) => role.ToString().ToLowerInvariant();

    /// <summary>The shared successful result of a key of <paramref name="role"/>.</summary>
    public static AuthenticateResult ForKey(CallerRole role) => KeyResults[role];

    /// <summary>The result of a verified grant token of <paramref name="grantId"/>.</summary>
    public static AuthenticateResult ForHolder(string grantId) => Succeed(Principal(CallerRole.Holder, grantId));

    private static ClaimsPrincipal Principal(CallerRole role, string? grantId)
    {
        List<Claim> claims = [new(CredentialAuthentication.RoleClaim, RoleName(role))];
        if (grantId is not null)
        {
            claims.Add(new Claim(CredentialAuthentication.GrantClaim, grantId));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, CredentialAuthentication.Scheme, ClaimTypes.Name, CredentialAuthentication.RoleClaim));
    }

    private static AuthenticateResult Succeed(ClaimsPrincipal principal) =>
        AuthenticateResult.Success(new AuthenticationTicket(principal, CredentialAuthentication.Scheme));
}
