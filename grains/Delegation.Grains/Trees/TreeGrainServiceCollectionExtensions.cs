using Delegation.Grains.Anomaly;
using Delegation.Grains.Audit;
using Delegation.Grains.Budget;
using Delegation.Grains.Metrics;
using Delegation.Grains.Storage;
using Delegation.Grains.Feed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Delegation.Grains.Trees;

/// <summary>Registers what the tree grains need from a silo's container.</summary>
public static class TreeGrainServiceCollectionExtensions
{
    // Orleans' own loops (membership, messaging time-outs, directory, collection) keep real time even when a test
    // drives the domain clock (the unkeyed TimeProvider) by hand; grain timers follow the domain clock.
    private static readonly string[] SystemClockAreas =
    [
        TimeProviderNames.Messaging, TimeProviderNames.SystemTimers, TimeProviderNames.Membership,
        TimeProviderNames.ActivationManagement, TimeProviderNames.GrainDirectory,
    ];

    /// <summary>
    /// Adds <see cref="TreeServices"/> built from the container's <see cref="IEventStore"/>, <see cref="TimeProvider"/>,
    /// lease, tree and anomaly options, and (when registered) the decision recorder and meters, and the silo's
    /// <see cref="LocalTrees"/>. The unkeyed
    /// <see cref="TimeProvider"/> is the domain clock (checks, expiries, grain timers); Orleans' system areas are
    /// pinned to the system clock. Also the silo's <see cref="FeedTail"/>, which every follower of the feed in it reads.
    /// </summary>
    public static IServiceCollection AddTreeGrains(this IServiceCollection services)
    {
        foreach (var area in SystemClockAreas)
        {
            services.AddKeyedSingleton(area, TimeProvider.System);
        }

        services.AddOptions<TreeGrainOptions>();
        services.AddOptions<LeaseBankOptions>();
        services.AddOptions<AnomalyOptions>();
        services.AddSingleton<TreeGauges>();
        services.AddSingleton<LocalTrees>();
        services.TryAddSingleton(sp => new FeedTail(sp.GetRequiredService<IEventStore>(), logger: sp.GetService<ILogger<FeedTail>>()));
        services.AddSingleton(sp => new AnomalyTracker(sp.GetRequiredService<IOptions<AnomalyOptions>>().Value));
        services.AddSingleton(sp => new TreeServices(
            sp.GetRequiredService<IEventStore>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<LeaseBankOptions>>().Value,
            sp.GetRequiredService<IOptions<TreeGrainOptions>>().Value,
            sp.GetService<DecisionRecorder>(),
            sp.GetService<DelegationMetrics>(),
            sp.GetRequiredService<TreeGauges>(),
            sp.GetRequiredService<IOptions<AnomalyOptions>>().Value.Enabled ? sp.GetRequiredService<AnomalyTracker>() : null,
            sp.GetRequiredService<LocalTrees>()));
        return services;
    }
}
