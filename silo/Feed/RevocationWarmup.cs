using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Delegation.Api;
using Delegation.Grains.Trees;

namespace Delegation.Silo.Feed;

/// <summary>
/// Runs the silo's part of a revocation once at start-up, before the silo answers, on throwaway objects only:
/// <see cref="RevocationRehearsal"/> (the versioned write of a revoke on a two-grant tree in an in-memory store of its
/// own), its three events formatted as the feed's server-sent events into <see cref="Stream.Null"/>, the
/// acknowledgement wait of <c>?wait=true</c> on a registry of its own, and the revoke's request and response through
/// JSON. Nothing is written to the silo's store, feed, registry or metrics. Without it the first revocation after a
/// start compiled about 260 methods on its way and took 20-50 ms instead of 2-5 ms (docs/performance.md).
/// </summary>
public sealed partial class RevocationWarmup(TimeProvider time, ILogger<RevocationWarmup> logger) : IHostedService
{
    private const string Enforcer = "silo-warm-up";

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            await RunAsync(time, cancellationToken).ConfigureAwait(false);
            LogWarmedUp(logger, time.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Only the first revocation's speed depends on it: the silo starts anyway, and says why it is cold.
            LogWarmupFailed(logger, e);
        }
    }

    /// <summary>The rehearsal itself, on throwaway objects: exposed for the test that checks it runs clean.</summary>
    /// <param name="time">The clock.</param>
    /// <param name="cancellationToken">Stops it.</param>
    /// <returns>The response a real <c>revoke?wait=true</c> would have sent for the rehearsed revocation.</returns>
    public static async Task<StatusChangeResponse> RunAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        var store = await RevocationRehearsal.RunAsync(time, cancellationToken).ConfigureAwait(false);
        var events = await store.ReadFeedAsync(0, 16, cancellationToken).ConfigureAwait(false);

        // A heartbeat first, then the events: exactly what a follower from the beginning is sent.
        var feed = new FeedStream(store, time, TimeSpan.FromMinutes(1));
        await SseFormatter.WriteAsync(TakeAsync(feed.ReadAsync(0, null, cancellationToken), events.Count + 1), Stream.Null, cancellationToken).ConfigureAwait(false);

        var registry = new EnforcerRegistry(time, new EnforcerRegistryOptions());
        using var connection = registry.Connect(Enforcer);

        // Waiting first, so that the wait is woken by the acknowledgement, as a real one mostly is.
        var waiting = registry.WaitForAsync(events[^1].Seq, TimeSpan.FromSeconds(5), cancellationToken);
        registry.Acknowledge(Enforcer, events[^1].Seq);
        var propagation = await waiting.ConfigureAwait(false);
        _ = JsonSerializer.Deserialize("""{"reason":"warm-up"}"""u8, DelegationJsonContext.Default.StatusChangeRequest);
        var response = new StatusChangeResponse(2, events[^1].Version, Propagation: propagation, FeedSeq: events[^1].Seq);
        return JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(response, DelegationJsonContext.Default.StatusChangeResponse), DelegationJsonContext.Default.StatusChangeResponse)!;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async IAsyncEnumerable<T> TakeAsync<T>(IAsyncEnumerable<T> items, int count, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (count <= 0)
        {
            yield break;
        }

        await foreach (var item in items.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return item;
            if (--count == 0)
            {
                yield break;
            }
        }
    }

    [LoggerMessage(EventId = 2301, Level = LogLevel.Debug, Message = "Revocation path warmed up in {ElapsedMs:F1} ms on a throwaway tree; nothing was written.")]
    private static partial void LogWarmedUp(ILogger logger, double elapsedMs);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Warning, Message = "The revocation path's warm-up failed; the first revocation will be slower.")]
    private static partial void LogWarmupFailed(ILogger logger, Exception exception);
}
