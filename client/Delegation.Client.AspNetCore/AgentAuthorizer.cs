using System.Text.Json;
using Delegation.Api;
using Delegation.Grants;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Delegation.Client.AspNetCore;

/// <summary>
/// Decides one request with the enforcer and, on a deny, writes the answer: 401 when the token is missing, invalid,
/// unknown, revoked or expired (RFC 6750 <c>invalid_token</c>); 403 when it is valid but does not cover this
/// request (<c>insufficient_scope</c>), is suspended or has no budget left; 503 when no authority can be asked
/// (fail closed); 429 with <c>Retry-After</c> when the grant's rate is used up; 403 <c>approval_required</c> with the
/// approval request's id in the <see cref="ApprovalHeader"/> header when a person must approve the request first (the
/// agent retries with that header once it is approved). Every deny has a problem+json body whose <c>code</c> is the
/// deny reason.
/// </summary>
public sealed class AgentAuthorizer(Enforcer enforcer, IOptions<AgentDelegationOptions> options)
{
    /// <summary>The header that carries an approval request's id: in a 403 approval_required, and on the agent's retry.</summary>
    public const string ApprovalHeader = "Delegation-Approval";

    private const string Scheme = "Bearer ";
    private const string DpopScheme = "DPoP ";

    /// <summary>
    /// Checks the request; returns true when allowed (the decision is then in
    /// <c>HttpContext.Features.Get&lt;AgentDecisionFeature&gt;()</c>), false after writing the deny.
    /// </summary>
    public async ValueTask<bool> AuthorizeAsync(HttpContext context, string action, string? resourceTemplate, long cost)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith(DpopScheme, StringComparison.OrdinalIgnoreCase))
        {
            return await AuthorizeBoundAsync(context, header[DpopScheme.Length..].Trim(), action, resourceTemplate, cost).ConfigureAwait(false);
        }

        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            || !IsAgentToken(header.AsSpan(Scheme.Length).Trim()))
        {
            await WriteAsync(context, 401, "unauthorized", $"Bearer realm=\"{options.Value.Realm}\"",
                "Send the agent's grant token or access token: 'Authorization: Bearer dgt_...' or 'Bearer eyJ...'.").ConfigureAwait(false);
            return false;
        }

        var token = header[Scheme.Length..].Trim();
        var resource = resourceTemplate is null ? null : Expand(resourceTemplate, context.Request.RouteValues);
        var decision = await enforcer.CheckAsync(token, action, resource, cost, Approval(context), context.RequestAborted).ConfigureAwait(false);
        return await AnswerAsync(context, decision, action, resource, cost).ConfigureAwait(false);
    }

    // RFC 9449 §7: 'Authorization: DPoP <token>' with exactly one 'DPoP' proof header for this request.
    private async ValueTask<bool> AuthorizeBoundAsync(HttpContext context, string token, string action, string? resourceTemplate, long cost)
    {
        var proofs = context.Request.Headers[Delegation.OAuth.DpopProofs.HeaderName];
        var resource = resourceTemplate is null ? null : Expand(resourceTemplate, context.Request.RouteValues);
        var request = context.Request;
        var decision = proofs.Count == 1
            ? await enforcer.CheckAsync(
                token,
                new DpopPresentation(proofs.ToString(), request.Method, new Uri($"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}")),
                action,
                resource,
                cost,
                Approval(context),
                context.RequestAborted).ConfigureAwait(false)
            : new EnforcerDecision(Decision.Deny, DenyReason.InvalidToken, null, null, FromCache: false);
        if (decision.Reason == DenyReason.InvalidToken)
        {
            // RFC 9449 §7.1: a DPoP request's token or proof refused is answered with the DPoP scheme's challenge.
            await WriteAsync(context, 401, "invalid_token", $"DPoP algs=\"{string.Join(' ', Delegation.OAuth.DpopProofs.Algorithms)}\", error=\"invalid_token\"",
                "The DPoP-bound access token or its proof is not valid for this request.").ConfigureAwait(false);
            return false;
        }

        return await AnswerAsync(context, decision, action, resource, cost).ConfigureAwait(false);
    }

    // The approval an agent's retry presents, if any.
    private static string? Approval(HttpContext context) =>
        context.Request.Headers[ApprovalHeader].ToString() is { Length: > 0 } approval ? approval : null;

    private async ValueTask<bool> AnswerAsync(HttpContext context, EnforcerDecision decision, string action, string? resource, long cost)
    {
        if (decision.IsAllowed)
        {
            context.Features.Set(new AgentDecisionFeature(decision, action, resource, cost));
            return true;
        }

        await WriteDenyAsync(context, decision, action, resource).ConfigureAwait(false);
        return false;
    }

    // A grant token, or a JWT access token (the enforcer verifies it, and denies it when it does not accept JWTs).
    private static bool IsAgentToken(ReadOnlySpan<char> token) =>
        token.StartsWith(GrantToken.Prefix, StringComparison.Ordinal) || token.StartsWith("eyJ", StringComparison.Ordinal);

    /// <summary>Replaces <c>{name}</c> in <paramref name="template"/> with the route value of that name.</summary>
    public static string Expand(string template, RouteValueDictionary values)
    {
        if (!template.Contains('{', StringComparison.Ordinal))
        {
            return template;
        }

        var result = new System.Text.StringBuilder(template.Length + 16);
        for (var i = 0; i < template.Length; i++)
        {
            var close = template[i] == '{' ? template.IndexOf('}', i) : -1;
            if (close < 0)
            {
                result.Append(template[i]);
                continue;
            }

            var name = template[(i + 1)..close];
            result.Append(values.TryGetValue(name, out var value) ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) : string.Empty);
            i = close;
        }

        return result.ToString();
    }

    private Task WriteDenyAsync(HttpContext context, EnforcerDecision decision, string action, string? resource)
    {
        var realm = options.Value.Realm;
        var code = ReasonCode(decision.Reason);
        var detail = decision.DecidedBy is { } by && by != decision.GrantId
            ? $"Denied ({code}) by grant {by}, an ancestor of {decision.GrantId}."
            : $"Denied ({code}) for {action}{(resource is null ? string.Empty : "@" + resource)}.";
        return decision.Reason switch
        {
            DenyReason.AuthorityUnavailable => WriteAsync(context, 503, code, null, "The delegation authority cannot be reached; failing closed.", retryAfter: "1"),
            DenyReason.RateLimited => WriteAsync(context, 429, code, null, detail, RetryAfterSeconds(decision.RetryAfter)),
            DenyReason.ApprovalRequired => WriteApprovalRequiredAsync(context, code, decision.ApprovalId, action, resource),
            DenyReason.ScopeMismatch => WriteAsync(context, 403, code, $"Bearer realm=\"{realm}\", error=\"insufficient_scope\"", detail),
            DenyReason.Suspended or DenyReason.AncestorSuspended or DenyReason.BudgetExhausted => WriteAsync(context, 403, code, $"Bearer realm=\"{realm}\"", detail),
            _ => WriteAsync(context, 401, code, $"Bearer realm=\"{realm}\", error=\"invalid_token\", error_description=\"{code}\"", detail),
        };
    }

    private static Task WriteApprovalRequiredAsync(HttpContext context, string code, string? approvalId, string action, string? resource)
    {
        if (approvalId is not null)
        {
            context.Response.Headers[ApprovalHeader] = approvalId;
        }

        return WriteAsync(context, 403, code, null, approvalId is null
            ? $"{action}{(resource is null ? string.Empty : "@" + resource)} needs a person's approval, and no approval request could be opened now."
            : $"{action}{(resource is null ? string.Empty : "@" + resource)} needs a person's approval: approval request {approvalId} waits for it. Retry with the header {ApprovalHeader}: {approvalId} once it is approved.");
    }

    private static async Task WriteAsync(HttpContext context, int status, string code, string? challenge, string detail, string? retryAfter = null)
    {
        context.Response.StatusCode = status;
        if (challenge is not null)
        {
            context.Response.Headers.WWWAuthenticate = challenge;
        }

        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        context.Response.ContentType = "application/problem+json";
        var problem = new ProblemResponse("https://delegation.dev/problems/" + code, Title(status), status, detail, code);
        await JsonSerializer.SerializeAsync(context.Response.Body, problem, DelegationJsonContext.Default.ProblemResponse, context.RequestAborted).ConfigureAwait(false);
    }

    private static string Title(int status) => status switch
    {
        401 => "The agent's grant token is not valid for this request.",
        403 => "The agent's grant does not allow this request.",
        429 => "The agent's grant allows no more requests for now.",
        _ => "The delegation authority is unavailable.",
    };

    // Retry-After counts whole seconds: round up, so a client that waits that long is not refused again.
    private static string RetryAfterSeconds(TimeSpan? wait) =>
        ((long)Math.Ceiling(Math.Max(1, (wait ?? TimeSpan.FromSeconds(1)).TotalSeconds))).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string ReasonCode(DenyReason reason) =>
        JsonSerializer.Serialize(reason, DelegationJsonContext.Default.DenyReason).Trim('"');
}
