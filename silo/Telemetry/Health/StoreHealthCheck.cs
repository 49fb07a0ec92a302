using Delegation.Grains.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Delegation.Silo.Telemetry.Health;

/// <summary>Readiness: the event store answers a read (its feed head) within two seconds.</summary>
public sealed class StoreHealthCheck(IEventStore store) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var head = await store.GetFeedHeadAsync(cancellationToken).WaitAsync(Timeout, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"The event store answered; feed head {head}.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The exception's message can name a host or carry a connection string: only its type is reported.
            return HealthCheckResult.Unhealthy($"The event store did not answer within {Timeout.TotalSeconds:0} s ({ex.GetType().Name}).");
        }
    }
}
