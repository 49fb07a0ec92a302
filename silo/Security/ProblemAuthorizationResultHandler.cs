using Delegation.Silo.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Delegation.Silo.Security;

/// <summary>
/// Answers a refused request with the API's problem+json: 401 <c>unauthorized</c> with what was wrong with the
/// credential, or 403 <c>forbidden</c> with the sentence of the requirement that refused it.
/// </summary>
public sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    /// <inheritdoc />
    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);

        // An allowed request passes straight on, without an async frame of its own (one allocation per request less).
        return authorizeResult.Succeeded ? next(context) : RefuseAsync(context, authorizeResult);
    }

    private static async Task RefuseAsync(HttpContext context, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged)
        {
            // The handler keeps its result for the request, so this asks nothing twice.
            var authentication = await context.AuthenticateAsync(CredentialAuthentication.Scheme).ConfigureAwait(false);
            var message = authentication.Failure?.Message ?? CredentialAuthentication.MissingCredential;
            await Problems.WriteAsync(context, Problems.From(new UnauthenticatedException(message))).ConfigureAwait(false);
            return;
        }

        var reason = authorizeResult.AuthorizationFailure?.FailureReasons.FirstOrDefault()?.Message
            ?? $"The caller may not call {context.Request.Method} {context.Request.Path}.";
        await Problems.WriteAsync(context, Problems.From(new ForbiddenException(reason))).ConfigureAwait(false);
    }
}
