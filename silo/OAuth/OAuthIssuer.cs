using Microsoft.Extensions.Options;

namespace Delegation.Silo.OAuth;

/// <summary>The issuer identifier: the configured one, or the request's own origin.</summary>
public static class OAuthIssuer
{
    /// <summary>The issuer for this request, without a trailing slash.</summary>
    public static string Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var configured = context.RequestServices.GetRequiredService<IOptions<OAuthOptions>>().Value.Issuer;
        return (string.IsNullOrEmpty(configured)
            ? $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}"
            : configured).TrimEnd('/');
    }
}
