using System.Text.Encodings.Web;
using Delegation.Grains.Trees;
using Delegation.Grants;
using Delegation.Silo.Dashboard.OrleansAccess;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Delegation.Silo.Security;

/// <summary>
/// Authenticates the <c>Authorization: Bearer</c> credential of a request: a configured key (its role) or a grant
/// token (a holder, verified by its tree's grain); on the Orleans dashboard's paths only, a live session cookie stands
/// for the admin. A failure spends one of the client address's allowance (<see cref="FailedAuthenticationLimiter"/>).
/// What a request may then do is decided by the authorization policies (<see cref="Policies"/>).
/// </summary>
internal sealed class CredentialAuthenticationHandler(
    IOptionsMonitor<CredentialAuthenticationOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    KeyRing keys,
    IGrainFactory grains,
    OrleansDashboardSessions sessions,
    FailedAuthenticationLimiter failures)
    : AuthenticationHandler<CredentialAuthenticationOptions>(options, logger, encoder)
{
    private const string BearerPrefix = "Bearer ";

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var result = await AuthenticateCredentialAsync().ConfigureAwait(false);
        if (result.Failure is not null)
        {
            failures.RecordFailure(Context);
        }

        return result;
    }

    private async ValueTask<AuthenticateResult> AuthenticateCredentialAsync()
    {
        var headers = Request.Headers.Authorization;
        if (Context.GetEndpoint()?.Metadata.GetMetadata<OAuth.OAuthClientAuthenticationMetadata>() is not null)
        {
            // The OAuth endpoints authenticate their clients by the RFCs' rules (Basic client credentials) themselves.
            return AuthenticateResult.NoResult();
        }

        if (headers.Count == 0)
        {
            return OrleansDashboardApi.IsFor(Context) && sessions.IsValid(Request.Cookies[OrleansDashboardApi.CookieName])
                ? CallerPrincipals.ForKey(CallerRole.Admin)
                : AuthenticateResult.NoResult();
        }

        var header = headers.Count == 1 ? headers[0].AsSpan() : default;
        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) || header.Length == BearerPrefix.Length)
        {
            return AuthenticateResult.Fail(CredentialAuthentication.MissingCredential);
        }

        var credential = header[BearerPrefix.Length..].Trim();
        if (credential.StartsWith(GrantToken.Prefix, StringComparison.Ordinal))
        {
            return GrantToken.TryParse(credential.ToString(), out var grantId, out var secret)
                && await grains.GetGrant(grantId).VerifyTokenAsync(secret).ConfigureAwait(false)
                    ? CallerPrincipals.ForHolder(grantId)
                    : AuthenticateResult.Fail("The grant token is not valid.");
        }

        return keys.Find(credential) is { } role
            ? CallerPrincipals.ForKey(role)
            : AuthenticateResult.Fail("The key is not valid.");
    }
}
