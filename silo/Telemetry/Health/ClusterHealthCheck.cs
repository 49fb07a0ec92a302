using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Delegation.Silo.Telemetry.Health;

/// <summary>Readiness: this silo is <c>Active</c> in its Orleans cluster's membership (not joining, not shutting down, not declared dead).</summary>
public sealed class ClusterHealthCheck(IClusterMembershipService membership, ILocalSiloDetails local) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var snapshot = membership.CurrentSnapshot;
        var status = snapshot.GetSiloStatus(local.SiloAddress);
        var active = snapshot.Members.Values.Count(m => m.Status == SiloStatus.Active);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy($"This silo is active in a cluster of {active} active silo(s).")
            : HealthCheckResult.Unhealthy($"This silo is {status} in the cluster, not active."));
    }
}
