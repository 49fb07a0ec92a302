using System.Text;
using Delegation.Silo.Security;

namespace Delegation.Silo.OAuth;

/// <summary>
/// Client authentication at the OAuth endpoints: the silo's keys are the client secrets. A client sends one as
/// <c>Authorization: Basic base64(client_id:key)</c> (RFC 6749 §2.3.1; the client_id is free text for logs) or as
/// <c>Authorization: Bearer key</c>. Grant tokens are not client credentials: they are presented as the token.
/// </summary>
public static class OAuthClients
{
    /// <summary>The caller's role, null when no client authentication was sent; a wrong one is <c>invalid_client</c>.</summary>
    public static CallerRole? Authenticate(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return null;
        }

        string? secret = null;
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            secret = BasicSecret(header["Basic ".Length..].Trim());
        }
        else if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            secret = header["Bearer ".Length..].Trim();
        }

        if (secret is null || secret.Length == 0)
        {
            RecordFailure(context);
            throw OAuthException.InvalidClient("Authenticate the client with 'Authorization: Basic base64(client_id:key)' or 'Bearer key'.");
        }

        if (context.RequestServices.GetRequiredService<KeyRing>().Find(secret) is { } role)
        {
            return role;
        }

        RecordFailure(context);
        throw OAuthException.InvalidClient("The client credentials are not valid.");
    }

    /// <summary>Spends one of the client address's failed-authentication allowance, as a wrong Bearer key does elsewhere.</summary>
    public static void RecordFailure(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.RequestServices.GetRequiredService<FailedAuthenticationLimiter>().RecordFailure(context);
    }

    /// <summary>The caller's role, which must be one of <paramref name="roles"/>; none or another is <c>invalid_client</c>.</summary>
    public static CallerRole Require(HttpContext context, params CallerRole[] roles)
    {
        var role = Authenticate(context) ?? throw OAuthException.InvalidClient("This endpoint needs client authentication: 'Authorization: Basic base64(client_id:key)'.");
        return roles.Contains(role)
            ? role
            : throw OAuthException.InvalidClient($"A {role.ToString().ToLowerInvariant()} key may not use {context.Request.Path}.");
    }

    // RFC 6749 §2.3.1: client_id and secret are form-urlencoded before being joined with ':' and base64-encoded.
    private static string? BasicSecret(string encoded)
    {
        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : Uri.UnescapeDataString(pair[(colon + 1)..].Replace('+', ' '));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
