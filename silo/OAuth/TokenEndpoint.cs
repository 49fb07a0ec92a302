using System.Text.Json;
using Delegation.Api;
using Delegation.Grains.Errors;
using Delegation.Grains.Trees;
using Delegation.Grants;
using Microsoft.Extensions.Options;

namespace Delegation.Silo.OAuth;

/// <summary>
/// <c>POST /oauth2/token</c>, RFC 8693 token exchange only. The subject token (a grant token or one of our JWTs) is
/// what authorizes the exchange: its holder may delegate from its grant, as on <c>POST /v1/grants/{id}/delegations</c>.
/// With <c>agent</c> the exchange creates a real delegation under the subject's grant through the tree grain (every
/// attenuation rule enforced) and answers a JWT for it plus the new grant's own token; without, it answers a JWT for
/// the subject's own grant. Client authentication is optional; when sent it must be a valid key. A <c>DPoP</c> proof
/// header binds the token to the proof's key (<see cref="DpopBinding"/>).
/// </summary>
public static class TokenEndpoint
{
    /// <summary>The one grant type served.</summary>
    public const string TokenExchange = "urn:ietf:params:oauth:grant-type:token-exchange";

    private static readonly string[] DelegationParameters = ["scope", "budget", "expires_in", "max_depth", "purpose"];

    /// <summary>Handles a token request.</summary>
    public static Task HandleAsync(
        HttpContext context, IGrainFactory grains, SubjectTokens subjects, AccessTokens tokens, SigningKeyRing ring, DpopBinding dpop, IOptions<OAuthOptions> options) =>
        OAuthErrors.RunAsync(context, async () =>
        {
            var form = await OAuthForm.ReadAsync(context, "audience", "resource").ConfigureAwait(false);
            OAuthClients.Authenticate(context);
            var grantType = form.Required("grant_type");
            if (grantType != TokenExchange)
            {
                throw new OAuthException("unsupported_grant_type", $"Only '{TokenExchange}' is served here, not '{grantType}'.");
            }

            if (!ring.IsConfigured)
            {
                throw new AuthorityUnavailableException("This silo has no signing secret: set Delegation:OAuth:SigningSecret (the same on every silo).");
            }

            var subjectToken = form.Required("subject_token");
            var subjectType = form.Required("subject_token_type");
            if (subjectType is not (SubjectTokens.AccessTokenType or SubjectTokens.JwtType))
            {
                throw OAuthException.InvalidRequest($"subject_token_type must be '{SubjectTokens.AccessTokenType}' or '{SubjectTokens.JwtType}'.");
            }

            if (form.Optional("requested_token_type") is { } requested && requested is not (SubjectTokens.AccessTokenType or SubjectTokens.JwtType))
            {
                throw OAuthException.InvalidRequest($"requested_token_type must be '{SubjectTokens.AccessTokenType}' or '{SubjectTokens.JwtType}'.");
            }

            if (form.Has("actor_token"))
            {
                throw OAuthException.InvalidRequest("actor_token is not supported: name the sub-agent with 'agent'.");
            }

            var audiences = Audiences(form, options.Value);
            var confirmation = await dpop.ConfirmationOfAsync(context).ConfigureAwait(false);
            var subject = await subjects.ResolveAsync(subjectToken).ConfigureAwait(false);
            if (subject is null)
            {
                // The subject token is this request's credential: a wrong one counts like a wrong key.
                OAuthClients.RecordFailure(context);
                throw new OAuthException("invalid_grant", "The subject token is not a valid grant token or access token of this authority.", ErrorCodes.Unauthorized);
            }

            var grant = grains.GetGrant(subject.Value.GrantId);
            string grantId;
            string? grantToken = null;
            if (form.Optional("agent") is { } agent)
            {
                var created = await grant.DelegateAsync(await DelegationOf(form, agent, grant).ConfigureAwait(false)).ConfigureAwait(false);
                (grantId, grantToken) = (created.Grant.Id, created.Token);
            }
            else
            {
                if (DelegationParameters.FirstOrDefault(form.Has) is { } extra)
                {
                    throw OAuthException.InvalidRequest($"'{extra}' describes a new delegation: send 'agent' too, or leave it out to get a token for the subject's own grant.");
                }

                var view = await grant.GetAsync().ConfigureAwait(false);
                if (view.EffectiveStatus != GrantStatus.Active)
                {
                    throw new OAuthException("invalid_grant", $"The subject's grant {view.Id} is {view.EffectiveReason?.ToString() ?? "not active"}.", ErrorCodes.ParentNotActive);
                }

                grantId = subject.Value.GrantId;
            }

            var chain = await grains.GetGrant(grantId).GetChainAsync().ConfigureAwait(false);
            var issued = tokens.Issue(OAuthIssuer.Of(context), chain, audiences, confirmation);
            await WriteAsync(context, issued, grantId, grantToken, confirmation is null ? "Bearer" : "DPoP").ConfigureAwait(false);
        });

    private static List<string> Audiences(OAuthForm form, OAuthOptions options)
    {
        var audiences = new List<string>();
        foreach (var resource in form.All("resource"))
        {
            audiences.Add(AudienceRules.IsResource(resource)
                ? resource
                : throw new OAuthException("invalid_target", $"resource '{resource}' is not an absolute URI without a fragment (RFC 8707).", ErrorCodes.ValidationFailed));
        }

        foreach (var audience in form.All("audience"))
        {
            audiences.Add(AudienceRules.IsValid(audience)
                ? audience
                : throw new OAuthException("invalid_target", $"audience '{audience}' is neither a name nor an absolute URI.", ErrorCodes.ValidationFailed));
        }

        if (audiences.Count == 0)
        {
            throw OAuthException.InvalidRequest("Name the token's audience with 'audience' or 'resource': a token for everyone is not issued.");
        }

        if (options.Audiences.Count > 0 && audiences.FirstOrDefault(a => !options.Audiences.Contains(a, StringComparer.Ordinal)) is { } unknown)
        {
            throw new OAuthException("invalid_target", $"This authority does not issue tokens for '{unknown}'.", ErrorCodes.Forbidden);
        }

        return [.. audiences.Distinct(StringComparer.Ordinal)];
    }

    private static async Task<DelegateRequest> DelegationOf(OAuthForm form, string agent, GrantReference parent)
    {
        var scope = form.Optional("scope")?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var lifetime = form.Number("expires_in");
        var maxDepth = form.Number("max_depth");
        if (maxDepth > int.MaxValue)
        {
            throw OAuthException.InvalidRequest("max_depth is too large.");
        }

        // Unspecified, scope and expiry are the parent's; the budget has no default (required when an ancestor has one).
        var parentView = scope is null || lifetime is null ? await parent.GetAsync().ConfigureAwait(false) : null;
        return new DelegateRequest(
            agent,
            scope ?? parentView!.Scope,
            form.Number("budget"),
            ExpiresAt: lifetime is null ? parentView!.ExpiresAt : null,
            TtlSeconds: lifetime,
            MaxDepth: (int?)maxDepth,
            Purpose: form.Optional("purpose"));
    }

    private static async Task WriteAsync(HttpContext context, IssuedAccessToken issued, string grantId, string? grantToken, string tokenType)
    {
        var response = context.Response;
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("access_token", issued.Token);
            writer.WriteString("issued_token_type", SubjectTokens.AccessTokenType);
            writer.WriteString("token_type", tokenType);
            writer.WriteNumber("expires_in", Math.Max(0, (long)(issued.ExpiresAt - now).TotalSeconds));
            writer.WriteString("scope", issued.Scope);
            writer.WriteString("grant_id", grantId);
            if (grantToken is not null)
            {
                writer.WriteString("grant_token", grantToken);
            }

            writer.WriteEndObject();
        }

        await response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted).ConfigureAwait(false);
    }
}
