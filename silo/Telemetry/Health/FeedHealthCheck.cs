using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Delegation.Silo.Telemetry.Health;

/// <summary>
/// Readiness: the feed is not behind. The <see cref="FeedMonitor"/> has read the feed lately, and the newest events it
/// saw reached this silo within <see cref="TelemetryOptions.FeedDelayBound"/> of their append (a late delivery counts
/// for one minute, unless a later pass sees a timely event).
/// </summary>
public sealed class FeedHealthCheck(FeedMonitor monitor, IOptions<TelemetryOptions> options) : IHealthCheck
{
    private static readonly TimeSpan LateWindow = TimeSpan.FromMinutes(1);

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Judge(monitor.Reading, options.Value, TimeProvider.System.GetUtcNow()));

    /// <summary>The verdict on <paramref name="reading"/> at <paramref name="now"/> (system clock).</summary>
    internal static HealthCheckResult Judge(FeedReading reading, TelemetryOptions options, DateTimeOffset now)
    {
        if (reading.PassAt is not { } passAt)
        {
            return HealthCheckResult.Unhealthy("The feed has not been read yet.");
        }

        var silentFor = now - passAt;
        if (silentFor > options.FeedWatchTimeout * 3)
        {
            return HealthCheckResult.Unhealthy($"The feed watcher has not completed a pass for {silentFor.TotalSeconds:0.#} s.");
        }

        if (reading.DelayAt is { } at && now - at < LateWindow && reading.Delay > options.FeedDelayBound)
        {
            return HealthCheckResult.Unhealthy(
                $"The feed is behind: new events reached this silo {reading.Delay.TotalMilliseconds:0} ms after their append (bound {options.FeedDelayBound.TotalMilliseconds:0} ms).");
        }

        return HealthCheckResult.Healthy($"Feed head {reading.Head}; last delivery {reading.Delay.TotalMilliseconds:0} ms after its append.");
    }
}
