using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Delegation.Silo.Telemetry.Health;

/// <summary>
/// Keeps the readiness checks' latest results for the <c>delegation.health</c> gauge: run in the background by ASP.NET
/// Core's health check publisher (so an alert sees a store become unreachable without anyone calling <c>/readyz</c>),
/// and by every <c>/readyz</c> probe.
/// </summary>
public sealed class HealthStatusPublisher : IHealthCheckPublisher
{
    private IReadOnlyDictionary<string, HealthStatus> _latest = new Dictionary<string, HealthStatus>();

    /// <summary>Each readiness check's latest status, by name; empty before the first run.</summary>
    public IReadOnlyDictionary<string, HealthStatus> Latest => Volatile.Read(ref _latest);

    /// <inheritdoc />
    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        Volatile.Write(ref _latest, report.Entries.ToDictionary(e => e.Key, e => e.Value.Status, StringComparer.Ordinal));
        return Task.CompletedTask;
    }
}
