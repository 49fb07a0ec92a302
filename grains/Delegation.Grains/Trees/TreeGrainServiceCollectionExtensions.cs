using Delegation.Grains.Audit;
using Delegation.Grains.Budget;
using Delegation.Grains.Metrics;
using Delegation.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Delegation.Grains.Trees;

/// <summary>Registers what the tree grains need from a silo's container.</summary>
public static class TreeGrainServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="TreeServices"/> built from the container's <see cref="IEventStore"/>, <see cref="TimeProvider"/>,
    /// lease and tree options, and (when registered) the decision recorder and meters.
    /// </summary>
    public static IServiceCollection AddTreeGrains(this IServiceCollection services)
    {
        services.AddOptions<TreeGrainOptions>();
        services.AddOptions<LeaseBankOptions>();
        services.AddSingleton<TreeGauges>();
        services.AddSingleton(sp => new TreeServices(
            sp.GetRequiredService<IEventStore>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<LeaseBankOptions>>().Value,
            sp.GetRequiredService<IOptions<TreeGrainOptions>>().Value,
            sp.GetService<DecisionRecorder>(),
            sp.GetService<DelegationMetrics>(),
            sp.GetRequiredService<TreeGauges>()));
        return services;
    }
}
