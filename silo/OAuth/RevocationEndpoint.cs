using Delegation.Api;
using Delegation.Grains.Errors;
using Delegation.Grains.Trees;
using Delegation.Grants;
using Delegation.Silo.Security;

namespace Delegation.Silo.OAuth;

/// <summary>
/// <c>POST /oauth2/revoke</c> (RFC 7009): revokes the grant a token names, and so its whole subtree. Admin and issuer
/// keys may revoke any of our tokens; without client authentication a grant token may revoke itself (its holder
/// may, as on <c>POST /v1/grants/{id}/revoke</c>). A JWT needs a key: whoever it was sent to holds it. As the RFC
/// says, a token that is unknown, invalid or already revoked answers 200 all the same.
/// </summary>
public static class RevocationEndpoint
{
    /// <summary>Handles a revocation request.</summary>
    public static Task HandleAsync(HttpContext context, IGrainFactory grains, SubjectTokens subjects) =>
        OAuthErrors.RunAsync(context, async () =>
        {
            var role = OAuthClients.Authenticate(context);
            if (role is not (null or CallerRole.Admin or CallerRole.Issuer))
            {
                throw new OAuthException("unauthorized_client", $"A {role.ToString()!.ToLowerInvariant()} key may not revoke tokens.", ErrorCodes.Forbidden);
            }

            var form = await OAuthForm.ReadAsync(context).ConfigureAwait(false);
            var token = form.Required("token");
            if (role is null && !token.StartsWith(GrantToken.Prefix, StringComparison.Ordinal))
            {
                throw OAuthException.InvalidClient("Revoking an access token needs client authentication with an admin or issuer key; a grant token may revoke itself without.");
            }

            var subject = await subjects.ResolveAsync(token, checkLifetime: false).ConfigureAwait(false);
            if (subject is { } found)
            {
                var actor = role is { } key ? new Caller(key).Actor : new Caller(CallerRole.Holder, found.GrantId).Actor;
                try
                {
                    await grains.GetGrant(found.GrantId).RevokeAsync("revoked through /oauth2/revoke", actor).ConfigureAwait(false);
                }
                catch (NotFoundException)
                {
                }
            }

            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.Headers.CacheControl = "no-store";
        });
}
