using Delegation.Client;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the <see cref="DelegationClient"/> with dependency injection.</summary>
public static class DelegationClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="DelegationClient"/> as a typed client of <c>IHttpClientFactory</c>, configured by
    /// <see cref="DelegationClientOptions"/>, which are validated (every failure reported at once) when the first
    /// client is created and at start-up in a host.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options: at least the credential.</param>
    /// <returns>The client's builder, to add handlers or resilience.</returns>
    public static IHttpClientBuilder AddDelegationClient(this IServiceCollection services, Action<DelegationClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<DelegationClientOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DelegationClientOptions>, DelegationClientOptionsValidator>());
        return services
            .AddHttpClient<DelegationClient, DelegationClient>(static (http, provider) => new DelegationClient(http, ClientOptions(provider).Credential!))
            .ConfigureHttpClient(static (provider, http) =>
            {
                var options = ClientOptions(provider);
                http.BaseAddress = WithTrailingSlash(options.BaseAddress!);
                http.Timeout = options.Timeout;
            });
    }

    private static DelegationClientOptions ClientOptions(IServiceProvider provider) =>
        provider.GetRequiredService<IOptions<DelegationClientOptions>>().Value;

    // Relative URIs resolve against the base's last '/', so without one a path prefix would be dropped.
    private static Uri WithTrailingSlash(Uri address) =>
        address.AbsolutePath.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/");
}
