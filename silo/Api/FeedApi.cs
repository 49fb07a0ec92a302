using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Delegation.Grains.Enforcers;
using Delegation.Grains.Errors;
using Delegation.Grains.Feed;
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
        routes.MapGet("/v1/feed", SubscribeAsync).RequireAuthorization(Policies.Enforcers);
        return routes;
    }

    private static async Task<IResult> SubscribeAsync(
        HttpContext context,
        FeedTail feed,
        TimeProvider time,
        IOptions<DelegationOptions> options,
        IHostApplicationLifetime lifetime,
        IEnforcerRegistry registry,
        FeedConnections connections)
    {
        var after = Position(context.Request.Query["after"].ToString(), "after");
        var lastEventId = context.Request.Headers["Last-Event-ID"].ToString();
        if (lastEventId.Length > 0)
        {
            after = Math.Max(after, Position(lastEventId, "Last-Event-ID"));
        }

        var enforcer = context.Request.Query["enforcer"].ToString();
        var name = enforcer.Length > 0 ? EnforcersApi.EnforcerName(enforcer, "enforcer") : null;
        var stream = new FeedStream(feed, time, options.Value.FeedHeartbeatInterval);
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["X-Accel-Buffering"] = "no";

        // The stream ends when the silo starts stopping. Otherwise every subscribed enforcer holds a graceful stop
        // until the host's shutdown timeout, and is then cut off mid-stream instead of seeing the end.
        var stopping = lifetime.ApplicationStopping;
        if (name is null)
        {
            return TypedResults.ServerSentEvents(EndWhenStopping(stream.ReadAsync(after, null, stopping), stopping));
        }

        // Opened (and the key's limit checked) before the response starts, so a refusal is a problem+json answer.
        var connection = connections.Open(name, FeedConnections.Fingerprint(BearerCredential(context)), after);
        try
        {
            var events = EndWhenStopping(stream.ReadAsync(after, connection, stopping), stopping);
            return TypedResults.ServerSentEvents(WhileConnected(events, registry, connections, connection));
        }
        catch
        {
            connections.Close(connection);
            throw;
        }
    }

    /// <summary>The credential of the (already authenticated) request, for its fingerprint.</summary>
    internal static string BearerCredential(HttpContext context) =>
        context.Request.Headers.Authorization.ToString()["Bearer ".Length..].Trim();

    // The enforcer is live exactly while its stream is being written; its connection closes with it.
    private static async IAsyncEnumerable<SseItem<string>> WhileConnected(
        IAsyncEnumerable<SseItem<string>> events,
        IEnforcerRegistry registry,
        FeedConnections connections,
        FeedConnection connection,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        try
        {
            await using var live = await registry.ConnectAsync(connection.Enforcer, cancellationToken).ConfigureAwait(false);
            await foreach (var item in events.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                yield return item;
            }
        }
        finally
        {
            connections.Close(connection);
        }
    }

    private static async IAsyncEnumerable<SseItem<string>> EndWhenStopping(
        IAsyncEnumerable<SseItem<string>> items, CancellationToken stopping, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var enumerator = items.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            bool more;
            try
            {
                more = await enumerator.MoveNextAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // The stopping token itself, not a token linked to it: linked tokens are cancelled by callbacks,
                // and the cancellation can surface here before the callback that cancels them has run.
                more = false;
            }

            if (!more)
            {
                yield break;
            }

            yield return enumerator.Current;
        }
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
