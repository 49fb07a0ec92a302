using ModelContextProtocol;
using ModelContextProtocol.Authentication;

namespace Delegation.SampleMcpServer.Metadata;

/// <summary>
/// RFC 9728 protected-resource metadata for the MCP endpoint, served without authentication (an OAuth client reads it
/// to learn where to get a token): at the path-inserted well-known URI of the resource
/// (<c>/.well-known/oauth-protected-resource/mcp</c>, RFC 9728 section 3.1), which every 401 and 403 names in
/// <c>resource_metadata</c>, and at the root well-known URI, where MCP clients look when no challenge named one.
/// </summary>
public static class ProtectedResourceMetadataEndpoints
{
    /// <summary>The well-known path prefix.</summary>
    public const string WellKnownPath = "/.well-known/oauth-protected-resource";

    /// <summary>The metadata URL of <paramref name="resource"/>: the well-known path inserted before the resource's path.</summary>
    public static Uri MetadataUrl(Uri resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return new Uri(resource.GetLeftPart(UriPartial.Authority) + WellKnownPath + resource.AbsolutePath.TrimEnd('/'));
    }

    /// <summary>The document: this resource, the authorization server that issues its tokens, the scopes it knows, the DPoP proof algorithms accepted.</summary>
    public static ProtectedResourceMetadata Document(Uri resource, string authorizationServer, IEnumerable<string> scopes) => new()
    {
        Resource = resource.AbsoluteUri,
        AuthorizationServers = [authorizationServer],
        BearerMethodsSupported = ["header"],
        ScopesSupported = [.. scopes],
        ResourceName = "Delegation sample MCP server",

        // The enforcer accepts DPoP-bound tokens with a proof by one of these (RFC 9449 section 5.1).
        DpopSigningAlgValuesSupported = [.. Delegation.OAuth.DpopProofs.Algorithms],
    };

    /// <summary>Maps the document at both well-known URIs of <paramref name="resource"/>.</summary>
    public static void MapProtectedResourceMetadata(this IEndpointRouteBuilder endpoints, Uri resource, ProtectedResourceMetadata document)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(resource);
        var json = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(document, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ProtectedResourceMetadata)));
        IResult Serve(HttpContext context)
        {
            context.Response.Headers.CacheControl = "public, max-age=300";
            return Results.Bytes(json, "application/json");
        }

        endpoints.MapGet(WellKnownPath, Serve);
        endpoints.MapGet(MetadataUrl(resource).AbsolutePath, Serve);
    }
}
