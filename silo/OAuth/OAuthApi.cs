namespace Delegation.Silo.OAuth;

/// <summary>The OAuth endpoints: discovery, token exchange, introspection, revocation.</summary>
public static class OAuthApi
{
    /// <summary>Maps the OAuth endpoints.</summary>
    public static IEndpointRouteBuilder MapOAuthApi(this IEndpointRouteBuilder routes)
    {
        // Public documents: verifiers need them, and they hold only public keys and addresses.
        routes.MapGet(DiscoveryEndpoints.JwksPath, DiscoveryEndpoints.JwksAsync).AllowAnonymous();
        routes.MapGet(DiscoveryEndpoints.MetadataPath, DiscoveryEndpoints.MetadataAsync).AllowAnonymous();

        // Not anonymous in fact: each authenticates its client by the RFCs' rules (OAuthClients) instead of the policies.
        var oauth = routes.MapGroup("/oauth2").AllowAnonymous().WithMetadata(OAuthClientAuthenticationMetadata.Instance);
        oauth.MapPost("/token", TokenEndpoint.HandleAsync);
        oauth.MapPost("/introspect", IntrospectionEndpoint.HandleAsync);
        oauth.MapPost("/revoke", RevocationEndpoint.HandleAsync);
        return routes;
    }
}
