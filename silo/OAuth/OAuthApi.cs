namespace Delegation.Silo.OAuth;

/// <summary>The OAuth endpoints: discovery, token exchange, introspection, revocation.</summary>
public static class OAuthApi
{
    /// <summary>Maps the OAuth endpoints.</summary>
    public static IEndpointRouteBuilder MapOAuthApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(DiscoveryEndpoints.JwksPath, DiscoveryEndpoints.JwksAsync);
        routes.MapGet(DiscoveryEndpoints.MetadataPath, DiscoveryEndpoints.MetadataAsync);
        routes.MapPost("/oauth2/token", TokenEndpoint.HandleAsync);
        routes.MapPost("/oauth2/introspect", IntrospectionEndpoint.HandleAsync);
        routes.MapPost("/oauth2/revoke", RevocationEndpoint.HandleAsync);
        return routes;
    }
}
