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
    /// <param name="configure">
    /// Sets the options: the silo URLs and the credential (HTTP), or <c>UseOrleansCluster()</c> (the Orleans client
    /// registered in this container); and a name unless the default (host and application) suits.
    /// </param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddDelegationEnforcer(this IServiceCollection services, Action<EnforcerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<EnforcerOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EnforcerOptions>, EnforcerOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static provider =>
        {
            var options = provider.GetRequiredService<IOptions<EnforcerOptions>>().Value;
            var time = provider.GetRequiredService<TimeProvider>();
            var logger = provider.GetService<ILogger<Enforcer>>();
            return options.Transport is { } transport
                ? new Enforcer(options, transport(provider), time, logger)
                : new Enforcer(options, time, logger);
        });
        return services;
    }
}
