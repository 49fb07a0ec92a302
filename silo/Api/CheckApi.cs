using System.Text.Json;
using Delegation.Api;
using Delegation.Grains.Errors;
using Delegation.Grains.Trees;
using Delegation.Grants;
using Delegation.Silo.Security;
using Microsoft.AspNetCore.Mvc;

namespace Delegation.Silo.Api;

/// <summary><c>POST /v1/check</c>: may this agent do this, now? A deny is an answer (200), not an error.</summary>
public static class CheckApi
{
    /// <summary>Maps the check endpoint.</summary>
    public static IEndpointRouteBuilder MapCheckApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/check", CheckAsync).RequireAuthorization(Policies.Enforcers);
        return routes;
    }

    private static ValueTask<IResult> CheckAsync([FromBody] CheckRequest request, IGrainFactory grains, [FromServices] LocalTrees local)
    {
        if ((request.Token is null) == (request.GrantId is null))
        {
            throw new RequestValidationException("Give exactly one of 'token' and 'grantId'.");
        }

        if (string.IsNullOrEmpty(request.Action))
        {
            throw new RequestValidationException("'action' is required.");
        }

        var grantId = request.GrantId;
        string? secret = null;
        if (request.Token is not null)
        {
            // A malformed token still goes to a (not well-formed) grain reference, which validates the request like
            // any other before it denies with invalid_token: a malformed request is a 400 whatever the token.
            grantId = GrantToken.TryParse(request.Token, out var tokenGrantId, out secret) ? tokenGrantId : string.Empty;
        }

        // A tree activated in this silo decides a check that only reads its state on this thread, without a grain call.
        return local.TryCheck(grantId!, request.Action, request.Resource, request.Cost ?? 0, secret, out var decided)
            ? ValueTask.FromResult(Answer(decided))
            : AskTreeAsync(grains.GetGrant(grantId!), request, secret);
    }

    // GrantReference.CheckAsync's resend loop, in this frame: one async state machine per check instead of two.
    private static async ValueTask<IResult> AskTreeAsync(GrantReference grant, CheckRequest request, string? secret)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return Answer(await grant.CheckOnceAsync(request.Action!, request.Resource, request.Cost ?? 0, secret, request.ApprovalId).ConfigureAwait(false));
            }
            catch (OrleansMessageRejectionException e) when (GrantReference.IsResendable(e, attempt))
            {
            }
        }
    }

    private static IResult Answer(CheckResult result) => Answer(new CheckResponse(
        result.Decision, result.IsAllowed ? null : result.Reason, NullIfEmpty(result.GrantId), result.Remaining, result.DecidedBy,
        result.RetryAfter is { } wait ? Math.Max(1, (long)Math.Ceiling(wait.TotalMilliseconds)) : null,
        result.ApprovalId));

    private static string? NullIfEmpty(string grantId) => grantId.Length == 0 ? null : grantId;

    private static IResult Answer(CheckResponse response) =>
        new SizedJson(JsonSerializer.SerializeToUtf8Bytes(response, DelegationJsonContext.Default.CheckResponse));

    // The answer with its Content-Length, in one write: the small document serialized first costs its bytes once,
    // where streaming it (TypedResults.Json) sends it chunked, and the enforcer then decodes the chunks.
    private sealed class SizedJson(byte[] utf8) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.ContentType = "application/json; charset=utf-8";
            httpContext.Response.ContentLength = utf8.Length;
            return httpContext.Response.Body.WriteAsync(utf8, 0, utf8.Length, httpContext.RequestAborted);
        }
    }
}
