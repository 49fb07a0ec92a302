using System.Text.Json;
using Delegation.Api;
using Delegation.Grains.Errors;
using Delegation.Grains.Trees;
using Delegation.Grants;
using Delegation.Silo.Security;

namespace Delegation.Silo.OAuth;

/// <summary>
/// <c>POST /oauth2/introspect</c> (RFC 7662), for enforcer, issuer and admin keys. A grant token or one of our JWTs is
/// <c>active</c> only while its grant is effectively active now (revoked, suspended or expired, itself or any
/// ancestor, answers <c>{"active":false}</c>, as does anything unknown); then the answer carries the grant's scope,
/// person (<c>sub</c>), agents (<c>act</c>), expiry, remaining budget along the chain and grant id.
/// </summary>
public static class IntrospectionEndpoint
{
    /// <summary>Handles an introspection request.</summary>
    public static Task HandleAsync(HttpContext context, IGrainFactory grains, SubjectTokens subjects) =>
        OAuthErrors.RunAsync(context, async () =>
        {
            OAuthClients.Require(context, CallerRole.Admin, CallerRole.Issuer, CallerRole.Enforcer);
            var form = await OAuthForm.ReadAsync(context).ConfigureAwait(false);
            var token = form.Required("token");
            var subject = await subjects.ResolveAsync(token).ConfigureAwait(false);
            GrantView? view = null;
            ChainResponse? chain = null;
            if (subject is { } found)
            {
                try
                {
                    var grant = grains.GetGrant(found.GrantId);
                    view = await grant.GetAsync().ConfigureAwait(false);
                    chain = view.EffectiveStatus == GrantStatus.Active ? await grant.GetChainAsync().ConfigureAwait(false) : null;
                }
                catch (NotFoundException)
                {
                }
            }

            await WriteAsync(context, view, chain, subject?.Jwt).ConfigureAwait(false);
        });

    private static async Task WriteAsync(HttpContext context, GrantView? view, ChainResponse? chain, ValidatedAccessToken? jwt)
    {
        var response = context.Response;
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-store";
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("active", view is not null && chain is not null);
            if (view is not null && chain is not null)
            {
                writer.WriteString("scope", string.Join(' ', view.Scope));
                writer.WriteString("client_id", view.Agent);
                writer.WriteString("sub", view.User);
                writer.WritePropertyName("act");
                ActorChain.Write(writer, chain);
                System.Security.Claims.Claim? confirmation = null;
                var bound = jwt is not null && jwt.Token.TryGetClaim("cnf", out confirmation);
                writer.WriteString("token_type", bound ? "DPoP" : "Bearer");
                writer.WriteString(AccessTokens.GrantIdClaim, view.Id);
                if (jwt is not null)
                {
                    writer.WriteNumber("exp", new DateTimeOffset(jwt.Token.ValidTo, TimeSpan.Zero).ToUnixTimeSeconds());
                    writer.WriteNumber("iat", new DateTimeOffset(jwt.Token.IssuedAt, TimeSpan.Zero).ToUnixTimeSeconds());
                    writer.WriteString("iss", jwt.Token.Issuer);
                    writer.WriteString("jti", jwt.Token.Id);
                    writer.WritePropertyName("aud");
                    writer.WriteStartArray();
                    foreach (var audience in jwt.Token.Audiences)
                    {
                        writer.WriteStringValue(audience);
                    }

                    writer.WriteEndArray();
                    if (bound)
                    {
                        writer.WritePropertyName("cnf");
                        writer.WriteRawValue(confirmation!.Value);
                    }
                }
                else
                {
                    writer.WriteNumber("exp", view.ExpiresAt.ToUnixTimeSeconds());
                    writer.WriteNumber("iat", view.CreatedAt.ToUnixTimeSeconds());
                    writer.WriteString("iss", OAuthIssuer.Of(context));
                }

                writer.WriteNumber("grant_exp", view.ExpiresAt.ToUnixTimeSeconds());
                if (RemainingBudget(chain) is { } remaining)
                {
                    writer.WriteNumber("budget_remaining", remaining);
                }
            }

            writer.WriteEndObject();
        }

        await response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted).ConfigureAwait(false);
    }

    // What a spend at the grant can still take: the least that any budgeted grant of its chain has left.
    private static long? RemainingBudget(ChainResponse chain)
    {
        long? remaining = null;
        foreach (var link in chain.Links)
        {
            if (link.Grant.Budget is { } limit)
            {
                var left = Math.Max(0, limit - link.Spent - link.Reserved);
                remaining = remaining is null ? left : Math.Min(remaining.Value, left);
            }
        }

        return remaining;
    }
}
