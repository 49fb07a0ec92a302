using Orleans;

namespace Delegation.Api;

/// <summary>
/// What a verifier of the authority's JWT access tokens needs: the issuer the tokens carry and the published keys as
/// a JWKS document (RFC 7517). The same keys <c>/.well-known/jwks.json</c> serves over HTTP, for enforcers that reach
/// the authority another way (the Orleans client).
/// </summary>
/// <param name="Issuer">The configured issuer (<c>Delegation:OAuth:Issuer</c>), or null when the silo names itself by each request's origin.</param>
/// <param name="Jwks">The JWKS document: the previous, current and next rotation period's public keys.</param>
[GenerateSerializer, Immutable, Alias("delegation.AccessTokenKeySet")]
public sealed record AccessTokenKeySet(string? Issuer, string Jwks);
