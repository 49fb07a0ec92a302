namespace Delegation.Silo.Security;

/// <summary>The silo's one authentication scheme and the claims its principals carry.</summary>
public static class CredentialAuthentication
{
    /// <summary>The scheme's name: admin, issuer, enforcer and metrics keys, grant tokens, Orleans dashboard sessions.</summary>
    public const string Scheme = "Delegation";

    /// <summary>The claim holding the caller's role (<see cref="CallerRole"/>, lower case).</summary>
    public const string RoleClaim = "delegation:role";

    /// <summary>The claim holding a holder's grant id.</summary>
    public const string GrantClaim = "delegation:grant";

    /// <summary>What a request without a usable credential is told.</summary>
    public const string MissingCredential = "Send 'Authorization: Bearer <key or grant token>'.";
}
