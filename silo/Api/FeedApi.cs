using System.Globalization;
using Delegation.Grains.Errors;
using Delegation.Grains.Storage;
using Delegation.Silo.Configuration;
using Delegation.Silo.Feed;
using Delegation.Silo.Security;
using Microsoft.Extensions.Options;

namespace Delegation.Silo.Api;

/// <summary><c>GET /v1/feed?after=&lt;seq&gt;</c>: every tree event in global order, as server-sent events.</summary>
public static class FeedApi
{
    /// <summary>Maps the feed endpoint.</summary>
    public static IEndpointRouteBuilder MapFeedApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/feed", SubscribeAsync);
        return routes;
    }

    private static async Task<IResult> SubscribeAsync(HttpContext context, IEventStore store, TimeProvider time, IOptions<DelegationOptions> options)
    {
        await Authorization.RequireAsync(context, CallerRole.Admin, CallerRole.Enforcer);
        var after = Position(context.Request.Query["after"].ToString(), "after");
        var lastEventId = context.Request.Headers["Last-Event-ID"].ToString();
        if (lastEventId.Length > 0)
        {
            after = Math.Max(after, Position(lastEventId, "Last-Event-ID"));
        }

        var stream = new FeedStream(store, time, options.Value.FeedHeartbeatInterval);
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        return TypedResults.ServerSentEvents(stream.ReadAsync(after, context.RequestAborted));
    }

    private static long Position(string text, string name)
    {
        if (text.Length == 0)
        {
            return 0;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new RequestValidationException($"'{name}' must be a non-negative feed sequence number, not '{text}'.");
    }
}
