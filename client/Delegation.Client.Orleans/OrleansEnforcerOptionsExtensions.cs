using Microsoft.Extensions.DependencyInjection;

namespace Delegation.Client;

/// <summary>Points an enforcer at the Orleans cluster this process is a client of.</summary>
public static class OrleansEnforcerOptionsExtensions
{
    /// <summary>
    /// The enforcer reaches the authority through the Orleans client registered in the container
    /// (<c>builder.UseOrleansClient(...)</c>), not over HTTP: <see cref="EnforcerOptions.SiloUrls"/> and
    /// <see cref="EnforcerOptions.Credential"/> are not used. The guarantees are the HTTP transport's: fail closed
    /// past <see cref="EnforcerOptions.MaxStaleness"/>, no revocation missed across a reconnect or a silo's death,
    /// leases conserved, acknowledgements counted by <c>revoke?wait=true</c>.
    /// </summary>
    /// <param name="options">The enforcer's options.</param>
    /// <param name="grains">The client to use instead of the container's <see cref="IClusterClient"/>.</param>
    /// <returns>The options.</returns>
    public static EnforcerOptions UseOrleansCluster(this EnforcerOptions options, IGrainFactory? grains = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Transport = provider => new OrleansEnforcerTransport(grains ?? provider.GetRequiredService<IClusterClient>(), options.RequestTimeout);
        return options;
    }
}
