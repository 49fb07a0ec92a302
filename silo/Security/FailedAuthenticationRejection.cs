using System.Globalization;
using System.Threading.RateLimiting;
using Delegation.Api;
using Delegation.Silo.Api;
using Microsoft.AspNetCore.RateLimiting;

namespace Delegation.Silo.Security;

/// <summary>The answer to a request refused by <see cref="FailedAuthenticationLimiter"/>: 429 problem+json with <c>Retry-After</c>.</summary>
public static class FailedAuthenticationRejection
{
    /// <summary>Writes the 429 (the rate-limiting middleware's <c>OnRejected</c>).</summary>
    public static async ValueTask WriteAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        var context = rejected.HttpContext;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await Problems.WriteAsync(context, new ProblemResponse(
            "https://delegation.dev/problems/" + ErrorCodes.TooManyFailedAuthentications,
            "Too many failed authentications.",
            StatusCodes.Status429TooManyRequests,
            $"Too many failed authentications from this address; its requests with a credential are refused for {seconds} s.",
            ErrorCodes.TooManyFailedAuthentications)).ConfigureAwait(false);
    }
}
