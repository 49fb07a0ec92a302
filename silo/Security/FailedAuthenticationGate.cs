using System.Threading.RateLimiting;

namespace Delegation.Silo.Security;

/// <summary>
/// The look-only side of <see cref="FailedAuthenticationLimiter"/>: asks the address's bucket for zero permits (is any
/// left?) for a request that carries a credential, and lets every other request through.
/// </summary>
internal sealed class FailedAuthenticationGate(PartitionedRateLimiter<HttpContext> failures) : PartitionedRateLimiter<HttpContext>
{
    /// <inheritdoc />
    public override RateLimiterStatistics? GetStatistics(HttpContext resource) => failures.GetStatistics(resource);

    /// <inheritdoc />
    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount) =>
        resource.Request.Headers.Authorization.Count == 0 ? AcquiredLease.Instance : failures.AttemptAcquire(resource, 0);

    /// <inheritdoc />
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(resource, permitCount));

    private sealed class AcquiredLease : RateLimitLease
    {
        public static readonly AcquiredLease Instance = new();

        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
