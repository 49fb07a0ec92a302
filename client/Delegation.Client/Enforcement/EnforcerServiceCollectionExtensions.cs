using Delegation.Client;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the <see cref="Enforcer"/> with dependency injection.</summary>
public static class EnforcerServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="Enforcer"/> (a singleton, disposed with the container, which settles its leases)
    /// configured by <see cref="EnforcerOptions"/>, validated at start-up in a host with every failure reported at
    /// once. The enforcer connects to the feed at its first check, or when <see cref="Enforcer.StartAsync"/> is called.
    /// It uses the registered <see cref="TimeProvider"/> (the system clock unless one is registered).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options: at least the silo URLs, the credential and a name.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddDelegationEnforcer(this IServiceCollection services, Action<EnforcerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<EnforcerOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EnforcerOptions>, EnforcerOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static provider => new Enforcer(
            provider.GetRequiredService<IOptions<EnforcerOptions>>().Value,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetService<ILogger<Enforcer>>()));
        return services;
    }
}
