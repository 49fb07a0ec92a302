using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace Delegation.Silo.OAuth;

/// <summary>
/// The public documents: the JWKS (<c>/.well-known/jwks.json</c>) and the RFC 8414 authorization server metadata
/// (<c>/.well-known/oauth-authorization-server</c>). Anonymous by design: verifiers need them to check our tokens,
/// and they hold only public keys and addresses.
/// </summary>
public static class DiscoveryEndpoints
{
    /// <summary>The JWKS path.</summary>
    public const string JwksPath = "/.well-known/jwks.json";

    /// <summary>The metadata path.</summary>
    public const string MetadataPath = "/.well-known/oauth-authorization-server";

    /// <summary>The published keys: previous, current and next rotation period's.</summary>
    public static Task JwksAsync(HttpContext context, SigningKeyRing ring) =>
        WriteAsync(context, writer => JwksDocument.Write(writer, ring));

    /// <summary>RFC 8414 metadata.</summary>
    public static Task MetadataAsync(HttpContext context)
    {
        var issuer = OAuthIssuer.Of(context);
        return WriteAsync(context, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("issuer", issuer);
            writer.WriteString("token_endpoint", issuer + "/oauth2/token");
            writer.WriteString("jwks_uri", issuer + JwksPath);
            writer.WriteString("introspection_endpoint", issuer + "/oauth2/introspect");
            writer.WriteString("revocation_endpoint", issuer + "/oauth2/revoke");
            Strings(writer, "grant_types_supported", TokenEndpoint.TokenExchange);
            Strings(writer, "response_types_supported");
            Strings(writer, "token_endpoint_auth_methods_supported", "none", "client_secret_basic");
            Strings(writer, "introspection_endpoint_auth_methods_supported", "client_secret_basic");
            Strings(writer, "revocation_endpoint_auth_methods_supported", "none", "client_secret_basic");
            Strings(writer, "access_token_signing_alg_values_supported", SecurityAlgorithms.EcdsaSha256);
            Strings(writer, "dpop_signing_alg_values_supported", Delegation.OAuth.DpopProofs.Algorithms);
            writer.WriteEndObject();
        });
    }

    private static void Strings(Utf8JsonWriter writer, string name, params string[] values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static async Task WriteAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "public, max-age=300";
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted).ConfigureAwait(false);
    }
}
