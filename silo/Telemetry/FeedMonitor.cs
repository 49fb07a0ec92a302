using Delegation.Grains.Enforcers;
using Delegation.Grains.Feed;
using Delegation.Grains.Storage;
using Microsoft.Extensions.Options;

namespace Delegation.Silo.Telemetry;

/// <summary>
/// Follows the feed the way a subscriber on this silo does (through the silo's <see cref="FeedTail"/>, which the store's
/// append signal wakes) and measures how late each new event reached it after its append: if the wake-up path breaks (a lost LISTEN or
/// pub/sub connection), the feed's subscribers here only see events at their heartbeat, and readiness says so.
/// It also samples the live enforcers' lag for the metrics. Reads only: one head read per wake-up (the event comes from the tail).
/// </summary>
public sealed partial class FeedMonitor(
    IEventStore store, FeedTail feed, IEnforcerRegistry enforcers, IOptions<TelemetryOptions> options, TimeProvider time, ILogger<FeedMonitor> logger)
    : BackgroundService
{
    private static readonly TimeSpan MinPassSpacing = TimeSpan.FromMilliseconds(100);

    // The watcher's own pacing and liveness run on the system clock, like Orleans' loops: a test that drives the
    // domain clock by hand must not stall it. The delay compares with events' times, so it uses the domain clock.
    private readonly TimeProvider _wall = TimeProvider.System;
    private FeedReading _reading = FeedReading.None;
    private IReadOnlyList<EnforcerLag> _lags = [];

    /// <summary>The watcher's latest reading.</summary>
    public FeedReading Reading => Volatile.Read(ref _reading);

    /// <summary>The live enforcers' lag at the last sample.</summary>
    public IReadOnlyList<EnforcerLag> EnforcerLags => Volatile.Read(ref _lags);

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(RepeatAsync(WatchAsync, "watch the feed", stoppingToken), RepeatAsync(SampleEnforcersAsync, "sample enforcer lag", stoppingToken));

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        var seen = await store.GetFeedHeadAsync(cancellationToken).ConfigureAwait(false);
        Publish(seen, null);
        while (!cancellationToken.IsCancellationRequested)
        {
            await feed.WaitForAppendAsync(seen, options.Value.FeedWatchTimeout, cancellationToken).ConfigureAwait(false);
            var woke = time.GetUtcNow();
            var next = await feed.ReadFeedAsync(seen, 1, cancellationToken).ConfigureAwait(false);
            var head = await store.GetFeedHeadAsync(cancellationToken).ConfigureAwait(false);

            // The event's time is the appending silo's clock: a negative difference is clock skew, not earliness.
            Publish(head, next.Count == 0 ? null : TimeSpan.FromTicks(Math.Max(0, (woke - next[0].At).Ticks)));
            seen = Math.Max(seen, head);
            await Task.Delay(MinPassSpacing, _wall, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SampleEnforcersAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var head = await store.GetFeedHeadAsync(cancellationToken).ConfigureAwait(false);
            var all = await enforcers.ListAsync(head, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _lags, all.Where(e => e.Connected).Select(e => new EnforcerLag(e.Name, e.Lag)).ToArray());
            await Task.Delay(options.Value.EnforcerSampleInterval, _wall, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Publish(long head, TimeSpan? delay)
    {
        var now = _wall.GetUtcNow();
        var previous = Reading;
        Volatile.Write(ref _reading, delay is { } d ? new FeedReading(head, now, d, now) : previous with { Head = head, PassAt = now });
    }

    // A pass that fails (the store is unreachable) is logged and retried after a second; readiness reports the
    // store, and a watcher that stopped passing.
    private async Task RepeatAsync(Func<CancellationToken, Task> loop, string name, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await loop(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogPassFailed(logger, ex, name);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), _wall, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Feed monitor pass '{Pass}' failed; it runs again in a second.")]
    private static partial void LogPassFailed(ILogger logger, Exception exception, string pass);
}
