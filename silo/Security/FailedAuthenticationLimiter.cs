using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Delegation.Silo.Security;

/// <summary>
/// Failed authentications per client address, in ASP.NET Core's rate limiter: a token bucket per address, spent only
/// by a failure (<see cref="RecordFailure"/>) and refilled over <see cref="SecurityOptions.FailedAuthenticationWindow"/>.
/// <see cref="Gate"/>, the rate-limiting middleware's global limiter, only looks: it refuses a request that carries a
/// credential while its address's bucket is empty, before the credential is examined, so a guesser learns nothing
/// more and costs no more grain calls once over the limit. Requests without a credential are never limited.
/// </summary>
public sealed class FailedAuthenticationLimiter : IDisposable
{
    private static readonly IPAddress Unknown = IPAddress.None;

    private readonly PartitionedRateLimiter<HttpContext> _failures;

    /// <summary>Creates the limiter from the validated options.</summary>
    public FailedAuthenticationLimiter(IOptions<SecurityOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var security = options.Value;
        var bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = security.FailedAuthenticationLimit,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = security.FailedAuthenticationWindow / security.FailedAuthenticationLimit,
            AutoReplenishment = true,
            QueueLimit = 0,
        };

        // One factory for every partition, so looking one up allocates nothing.
        Func<IPAddress, RateLimiter> create = _ => new TokenBucketRateLimiter(bucket);
        _failures = PartitionedRateLimiter.Create<HttpContext, IPAddress>(
            context => new RateLimitPartition<IPAddress>(context.Connection.RemoteIpAddress ?? Unknown, create));
        Gate = new FailedAuthenticationGate(_failures);
    }

    /// <summary>The global limiter of the rate-limiting middleware: refuses a credential from an address over its limit.</summary>
    public PartitionedRateLimiter<HttpContext> Gate { get; }

    /// <summary>Spends one of the request's address's allowance of failures.</summary>
    public void RecordFailure(HttpContext context) => _failures.AttemptAcquire(context, 1).Dispose();

    /// <inheritdoc />
    public void Dispose()
    {
        Gate.Dispose();
        _failures.Dispose();
    }
}
