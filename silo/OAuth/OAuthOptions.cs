namespace Delegation.Silo.OAuth;

/// <summary>
/// The OAuth side of the silo (JWT access tokens, token exchange, introspection, revocation), bound from
/// <c>Delegation:OAuth</c>.
/// </summary>
public sealed class OAuthOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "Delegation:OAuth";

    /// <summary>
    /// The issuer (<c>iss</c>) of access tokens and of the metadata document, e.g. <c>https://authority.example</c>.
    /// When empty, each request's own origin (scheme, host, path base) is the issuer: fine for one silo, but set it
    /// when silos are reached through different addresses.
    /// </summary>
    public string? Issuer { get; set; }

    /// <summary>
    /// The secret every signing key is derived from (base64url, at least 32 bytes). Every silo of a cluster must have
    /// the same one, so that they sign with and publish the same keys. When empty on a single silo with its own
    /// store (sqlite, memory), one is generated once and kept in <c>&lt;DataDir&gt;/signing.key</c> (mode 600); on a
    /// shared store (postgres, redis) the OAuth endpoints refuse to issue tokens until it is set.
    /// </summary>
    public string? SigningSecret { get; set; }

    /// <summary>How long one signing key signs before the next takes over (default 1 day; at least the token lifetime plus a minute).</summary>
    public TimeSpan KeyRotationPeriod { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Lifetime of an access token, capped by its grant's expiry (default 5 minutes, 10 seconds to 1 hour).</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Audiences a token may be issued for; empty (default) allows any (a name, or an absolute URI without a fragment).</summary>
    public List<string> Audiences { get; set; } = [];
}
