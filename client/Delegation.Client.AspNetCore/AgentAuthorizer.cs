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

    /// <summary>The action <see cref="AuthenticateAsync"/> asks about: its answer on the scope is ignored.</summary>
    private const string AuthenticationProbe = ProbeActions.Authenticate;

    /// <summary>
    /// Checks the request; returns true when allowed (the decision is then in
    /// <c>HttpContext.Features.Get&lt;AgentDecisionFeature&gt;()</c>), false after writing the deny.
    /// </summary>
    public ValueTask<bool> AuthorizeAsync(HttpContext context, string action, string? resourceTemplate, long cost)
    {
        ArgumentNullException.ThrowIfNull(context);
        var resource = resourceTemplate is null ? null : Expand(resourceTemplate, context.Request.RouteValues);
        return AuthorizeResourceAsync(context, action, resource, cost);
    }

    /// <summary>
    /// Checks the request for <paramref name="action"/> on a concrete <paramref name="resource"/> (already taken from
    /// wherever the caller reads it: a request body, a tool call's arguments); as <see cref="AuthorizeAsync"/>.
    /// </summary>
    public async ValueTask<bool> AuthorizeResourceAsync(HttpContext context, string action, string? resource, long cost)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await CheckAsync(context, action, resource, cost).ConfigureAwait(false) is not { } decision)
        {
            return false;
        }

        if (decision.IsAllowed)
        {
            context.Features.Set(new AgentDecisionFeature(decision, action, resource, cost));
            return true;
        }

        await WriteDenyAsync(context, decision, action, resource).ConfigureAwait(false);
        return false;
    }

    /// <summary>
    /// Checks only that the request carries a valid token of a grant that is in force (not revoked, suspended or
    /// expired, nor any ancestor), whatever its scope allows: for requests that ask for nothing in particular (an MCP
    /// client listing tools, say). Returns true when so, false after writing the 401 (or 503).
    /// </summary>
    public async ValueTask<bool> AuthenticateAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        // The enforcer decides the token and the chain's status before the scope, so any answer past them (allowed,
        // or denied for the scope) means the token is good and its grant in force. No cost: nothing is spent.
        if (await CheckAsync(context, AuthenticationProbe, null, 0).ConfigureAwait(false) is not { } decision)
        {
            return false;
        }

        if (decision.IsAllowed || decision.Reason == DenyReason.ScopeMismatch)
        {
            return true;
        }

        await WriteDenyAsync(context, decision, AuthenticationProbe, null).ConfigureAwait(false);
        return false;
    }

    /// <summary>
    /// The enforcer's decision on the request's token, presented as <c>Bearer</c> (RFC 6750) or <c>DPoP</c> with its proof
    /// (RFC 9449 section 7: exactly one <c>DPoP</c> header for this request); null after writing the 401 that asks for one.
    /// </summary>
    private async ValueTask<EnforcerDecision?> CheckAsync(HttpContext context, string action, string? resource, long cost)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith(DpopScheme, StringComparison.OrdinalIgnoreCase))
        {
            var proofs = context.Request.Headers[Delegation.OAuth.DpopProofs.HeaderName];
            var request = context.Request;
            var decision = proofs.Count == 1
                ? await enforcer.CheckAsync(
                    header[DpopScheme.Length..].Trim(),
                    new DpopPresentation(proofs.ToString(), request.Method, new Uri($"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}")),
                    action,
                    resource,
                    cost,
                    Approval(context),
                    context.RequestAborted).ConfigureAwait(false)
                : new EnforcerDecision(Decision.Deny, DenyReason.InvalidToken, null, null, FromCache: false);
            if (decision.Reason == DenyReason.InvalidToken)
            {
                // RFC 9449 section 7.1: a DPoP request's token or proof refused is answered with the DPoP scheme's challenge.
                await WriteAsync(context, 401, "invalid_token", DpopChallenge(),
                    "The DPoP-bound access token or its proof is not valid for this request.").ConfigureAwait(false);
                return null;
            }

            return decision;
        }

        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            || !IsAgentToken(header.AsSpan(Scheme.Length).Trim()))
        {
            await WriteAsync(context, 401, "unauthorized", Challenge(null, null),
                "Send the agent's grant token or access token: 'Authorization: Bearer dgt_...' or 'Bearer eyJ...'.").ConfigureAwait(false);
            return null;
        }

        var token = header[Scheme.Length..].Trim();
        if (!options.Value.AcceptGrantTokens && token.StartsWith(GrantToken.Prefix, StringComparison.Ordinal))
        {
            await WriteAsync(context, 401, "invalid_token", Challenge("invalid_token", "audience_required"),
                "This resource accepts only access tokens issued for it: exchange the grant token at the authority's token endpoint (RFC 8693) with resource set to this resource.").ConfigureAwait(false);
            return null;
        }

        return await enforcer.CheckAsync(token, action, resource, cost, Approval(context), context.RequestAborted).ConfigureAwait(false);
    }

    // The approval an agent's retry presents, if any.
    private static string? Approval(HttpContext context) =>
        context.Request.Headers[ApprovalHeader].ToString() is { Length: > 0 } approval ? approval : null;

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
        var code = ReasonCode(decision.Reason);
        var detail = decision.DecidedBy is { } by && by != decision.GrantId
            ? $"Denied ({code}) by grant {by}, an ancestor of {decision.GrantId}."
            : $"Denied ({code}) for {action}{(resource is null ? string.Empty : "@" + resource)}.";
        return decision.Reason switch
        {
            DenyReason.AuthorityUnavailable => WriteAsync(context, 503, code, null, "The delegation authority cannot be reached; failing closed.", retryAfter: "1"),
            DenyReason.RateLimited => WriteAsync(context, 429, code, null, detail, RetryAfterSeconds(decision.RetryAfter)),
            DenyReason.ApprovalRequired => WriteApprovalRequiredAsync(context, code, decision.ApprovalId, action, resource),

            // RFC 6750 section 3: the scope the request needs, as a permission a narrower grant (or a token exchange) can ask for.
            DenyReason.ScopeMismatch => WriteAsync(context, 403, code, Challenge("insufficient_scope", null, resource is null ? action : action + "@" + resource), detail),
            DenyReason.Suspended or DenyReason.AncestorSuspended or DenyReason.BudgetExhausted => WriteAsync(context, 403, code, Challenge(null, null), detail),
            _ => WriteAsync(context, 401, code, Challenge("invalid_token", code), detail),
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

    /// <summary>The <c>DPoP</c> scheme's challenge: the proof algorithms accepted, the resource metadata URL when configured.</summary>
    private string DpopChallenge()
    {
        var challenge = new System.Text.StringBuilder("DPoP algs=\"").AppendJoin(' ', Delegation.OAuth.DpopProofs.Algorithms).Append('"');
        if (options.Value.ResourceMetadataUrl is { } metadata)
        {
            challenge.Append(", resource_metadata=\"").Append(metadata.AbsoluteUri).Append('"');
        }

        return challenge.Append(", error=\"invalid_token\"").ToString();
    }

    /// <summary>A <c>Bearer</c> challenge with the realm, the resource metadata URL when configured, and the given parameters.</summary>
    private string Challenge(string? error, string? description, string? scope = null)
    {
        var challenge = new System.Text.StringBuilder("Bearer realm=\"").Append(options.Value.Realm).Append('"');
        if (options.Value.ResourceMetadataUrl is { } metadata)
        {
            challenge.Append(", resource_metadata=\"").Append(metadata.AbsoluteUri).Append('"');
        }

        if (error is not null)
        {
            challenge.Append(", error=\"").Append(error).Append('"');
        }

        if (description is not null)
        {
            challenge.Append(", error_description=\"").Append(description).Append('"');
        }

        if (scope is not null)
        {
            challenge.Append(", scope=\"").Append(scope).Append('"');
        }

        return challenge.ToString();
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
