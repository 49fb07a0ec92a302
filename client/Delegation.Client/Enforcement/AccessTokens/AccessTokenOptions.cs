namespace Delegation.Client;

/// <summary>
/// How an <see cref="Enforcer"/> accepts the authority's JWT access tokens (RFC 9068, ES256) besides grant tokens:
/// the signature is verified offline against the authority's published keys, the audience must be
/// <see cref="Audience"/>, and then the token's grant is checked like any other (near-cache, feed, revocation).
/// </summary>
public sealed class AccessTokenOptions
{
    /// <summary>The default <see cref="KeyRefreshInterval"/>: 10 minutes.</summary>
    public static readonly TimeSpan DefaultKeyRefreshInterval = TimeSpan.FromMinutes(10);

    /// <summary>The default <see cref="MinKeyRefreshInterval"/>: 10 seconds.</summary>
    public static readonly TimeSpan DefaultMinKeyRefreshInterval = TimeSpan.FromSeconds(10);

    /// <summary>The default <see cref="ClockSkew"/>: 30 seconds.</summary>
    public static readonly TimeSpan DefaultClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>
    /// This enforcement point's audience: a token must name it in <c>aud</c>. Null (the default): JWTs are not
    /// accepted and are denied with <c>invalid_token</c>.
    /// </summary>
    public string? Audience { get; set; }

    /// <summary>
    /// Where the keys are discovered (<c>/.well-known/oauth-authorization-server</c>, then its <c>jwks_uri</c>, over
    /// HTTP). Default: the first of <see cref="EnforcerOptions.SiloUrls"/>; required with another transport.
    /// </summary>
    public Uri? Authority { get; set; }

    /// <summary>The issuer tokens must carry; default: the <c>issuer</c> of the authority's metadata.</summary>
    public string? Issuer { get; set; }

    /// <summary>How often the keys are read again even when none is missing (default 10 minutes).</summary>
    public TimeSpan KeyRefreshInterval { get; set; } = DefaultKeyRefreshInterval;

    /// <summary>The least time between two reads caused by tokens signed with an unknown key (default 10 seconds).</summary>
    public TimeSpan MinKeyRefreshInterval { get; set; } = DefaultMinKeyRefreshInterval;

    /// <summary>Tolerance for clock differences when checking <c>exp</c> and <c>nbf</c> (default 30 seconds).</summary>
    public TimeSpan ClockSkew { get; set; } = DefaultClockSkew;
}
