using Delegation.Api;
using Delegation.Grains.Audit;
using Delegation.Grains.Enforcers;
using Delegation.Grains.Trees;
using Delegation.Grains.Storage;
using Delegation.Silo.Configuration;
using Delegation.Silo.Security;
using Delegation.Silo.Stats;
using Microsoft.Extensions.Options;

namespace Delegation.Silo.Api;

/// <summary><c>GET /v1/stats</c>: the silo's overview for operators.</summary>
public static class StatsApi
{
    /// <summary>Maps the stats endpoint.</summary>
    public static IEndpointRouteBuilder MapStatsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/stats", StatsAsync).RequireAuthorization(Policies.Operators);
        return routes;
    }

    private static async Task<IResult> StatsAsync(HttpContext context, IServiceProvider services)
    {
        var seconds = context.Request.Query["seconds"].ToString() is { Length: > 0 } text && int.TryParse(text, out var s) ? Math.Clamp(s, 1, 119) : 60;
        var store = services.GetRequiredService<IEventStore>();
        var head = await store.GetFeedHeadAsync(context.RequestAborted);
        var gauges = services.GetRequiredService<TreeGauges>();
        var recorder = services.GetRequiredService<DecisionRecorder>();
        var clock = services.GetRequiredService<SiloClock>();
        var stats = new SiloStats(
            services.GetRequiredService<IOptions<TreeGrainOptions>>().Value.SiloName,
            services.GetRequiredService<IOptions<DelegationOptions>>().Value.Store,
            clock.StartedAt,
            clock.Time.GetUtcNow(),
            head,
            (int)gauges.Activations,
            (int)gauges.Leases,
            services.GetRequiredService<FleetCounter>().Read(),
            services.GetRequiredService<CheckSeries>().Read(seconds),
            await services.GetRequiredService<IEnforcerRegistry>().ListAsync(head, context.RequestAborted),
            services.GetRequiredService<PropagationLog>().Read(),
            new DecisionLogStats(recorder.Written, recorder.Dropped, recorder.Failures));
        return TypedResults.Json(stats, DelegationJsonContext.Default.SiloStats);
    }
}
