using Delegation.Api;
using Delegation.Grains.Enforcers;
using Delegation.Grains.Errors;
using Delegation.Grains.Metrics;
using Delegation.Silo.Stats;

namespace Delegation.Silo.Api;

/// <summary><c>?wait=true&amp;timeoutMs=N</c> of a status change: answer only once every live enforcer has it.</summary>
public static class Propagation
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Reads <c>wait</c> and <c>timeoutMs</c> before anything changes; a bad value is a 400 and changes nothing.</summary>
    public static TimeSpan? ReadWait(HttpContext context)
    {
        var wait = context.Request.Query["wait"].ToString();
        var timeoutText = context.Request.Query["timeoutMs"].ToString();
        if (wait.Length > 0 && !bool.TryParse(wait, out _))
        {
            throw new RequestValidationException($"'wait' must be true or false, not '{wait}'.");
        }

        var timeout = DefaultTimeout;
        if (timeoutText.Length > 0)
        {
            if (!long.TryParse(timeoutText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms)
                || ms < 1 || ms > MaxTimeout.TotalMilliseconds)
            {
                throw new RequestValidationException($"'timeoutMs' must be between 1 and {(long)MaxTimeout.TotalMilliseconds}.");
            }

            timeout = TimeSpan.FromMilliseconds(ms);
        }

        return wait.Length > 0 && bool.Parse(wait) ? timeout : null;
    }

    /// <summary>
    /// The response of a revoke, suspend or resume; with a wait, once every live enforcer has acknowledged the
    /// change's feed position or the timeout passed (reported, never hidden).
    /// </summary>
    public static async Task<IResult> RespondAsync(HttpContext context, StatusChangeResponse result, TimeSpan? wait)
    {
        if (wait is { } timeout)
        {
            var registry = context.RequestServices.GetRequiredService<IEnforcerRegistry>();
            var propagation = await registry.WaitForAsync(result.FeedSeq ?? 0, timeout, context.RequestAborted).ConfigureAwait(false);
            result = result with { Propagation = propagation };
            if (result.FeedSeq is not null)
            {
                var time = context.RequestServices.GetRequiredService<TimeProvider>();
                context.RequestServices.GetRequiredService<PropagationLog>().Add(new PropagationSample(
                    time.GetUtcNow(), propagation.ElapsedMs, propagation.Acked, propagation.Total, propagation.TimedOut));
                context.RequestServices.GetRequiredService<DelegationMetrics>().Propagation(TimeSpan.FromMilliseconds(propagation.ElapsedMs), propagation.TimedOut);
            }
        }

        return TypedResults.Json(result, DelegationJsonContext.Default.StatusChangeResponse);
    }
}
