namespace Delegation.Silo.OAuth;

/// <summary>
/// Endpoint metadata of the OAuth endpoints that authenticate their clients themselves, by the RFCs' rules
/// (<see cref="OAuthClients"/>: <c>Basic</c> client credentials, a subject token in the body). The silo's credential
/// handler leaves their <c>Authorization</c> header alone, so a <c>Basic</c> header is not a failed Bearer
/// authentication; <see cref="OAuthClients"/> counts their own failures against the same allowance.
/// </summary>
public sealed class OAuthClientAuthenticationMetadata
{
    /// <summary>The one instance.</summary>
    public static readonly OAuthClientAuthenticationMetadata Instance = new();

    private OAuthClientAuthenticationMetadata()
    {
    }
}
