using Delegation.Grains.Trees;
using Delegation.Grants;

namespace Delegation.Silo.Security;

/// <summary>Authenticates the <c>Authorization: Bearer</c> credential of a request: a configured key or a grant token.</summary>
public sealed class CallerResolver(KeyRing keys, IGrainFactory grains)
{
    /// <summary>The caller, or an <see cref="UnauthenticatedException"/> for a missing, malformed or wrong credential.</summary>
    public async ValueTask<Caller> ResolveAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) || header.Length == scheme.Length)
        {
            throw new UnauthenticatedException("Send 'Authorization: Bearer <key or grant token>'.");
        }

        var credential = header[scheme.Length..].Trim();
        if (credential.StartsWith(GrantToken.Prefix, StringComparison.Ordinal))
        {
            if (GrantToken.TryParse(credential, out var grantId, out var secret)
                && await grains.GetGrant(grantId).VerifyTokenAsync(secret).ConfigureAwait(false))
            {
                return new Caller(CallerRole.Holder, grantId);
            }

            throw new UnauthenticatedException("The grant token is not valid.");
        }

        return keys.Find(credential) is { } role
            ? new Caller(role)
            : throw new UnauthenticatedException("The key is not valid.");
    }
}
