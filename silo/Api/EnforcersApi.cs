using System.Security.Cryptography;
using System.Text;
using Delegation.Api;
using Delegation.Grains.Enforcers;
using Delegation.Grains.Errors;
using Delegation.Grains.Storage;
using Delegation.Silo.Feed;
using Delegation.Silo.Security;
using Microsoft.AspNetCore.Mvc;

namespace Delegation.Silo.Api;

/// <summary><c>/v1/enforcers</c>: acknowledgements of the feed, and the list of enforcers with their lag.</summary>
public static class EnforcersApi
{
    /// <summary>Maps the enforcer endpoints.</summary>
    public static IEndpointRouteBuilder MapEnforcersApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/enforcers/ack", AcknowledgeAsync).RequireAuthorization(Policies.Enforcers);
        routes.MapGet("/v1/enforcers", ListAsync).RequireAuthorization(Policies.Keys);
        return routes;
    }

    private static async Task<IResult> AcknowledgeAsync([FromBody] AckRequest request, HttpContext context, IEnforcerRegistry registry, FeedConnections connections)
    {
        var name = EnforcerName(request.Enforcer, "enforcer");
        if (request.Seq is not ({ } seq and >= 0))
        {
            throw new RequestValidationException("'seq' is required and must not be negative.");
        }

        if (string.IsNullOrEmpty(request.Connection))
        {
            throw new RequestValidationException("'connection' is required: the id the first heartbeat of the enforcer's open feed stream carried.");
        }

        // Only the reader of an open stream acknowledges, only on it, with the key that opened it, up to what it was sent.
        var connection = connections.Find(request.Connection)
            ?? throw new ConflictException(
                "No feed stream with this connection is open on this silo: acknowledge on the silo that serves the stream, while it is open.",
                ErrorCodes.FeedConnectionClosed);
        var fingerprint = FeedConnections.Fingerprint(FeedApi.BearerCredential(context));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(fingerprint), Encoding.ASCII.GetBytes(connection.KeyFingerprint))
            || !string.Equals(connection.Enforcer, name, StringComparison.Ordinal))
        {
            throw new ForbiddenException("This feed stream was opened by another key or under another enforcer name.");
        }

        if (seq > connection.Sent)
        {
            throw new RequestValidationException($"'seq' {seq} is beyond what this feed stream has sent ({connection.Sent}).");
        }

        await registry.AcknowledgeAsync(name, seq, context.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> ListAsync(HttpContext context, IEnforcerRegistry registry, IEventStore store)
    {
        var head = await store.GetFeedHeadAsync(context.RequestAborted);
        return TypedResults.Json(new EnforcersResponse(head, await registry.ListAsync(head, context.RequestAborted)), DelegationJsonContext.Default.EnforcersResponse);
    }

    /// <summary>Validates an enforcer's self-chosen name.</summary>
    internal static string EnforcerName(string? name, string field) => EnforcerNames.Validate(name, field);
}
