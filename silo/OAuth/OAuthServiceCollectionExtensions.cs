using Delegation.Grains.OAuth;
using Delegation.Silo.Configuration;
using Microsoft.Extensions.Options;

namespace Delegation.Silo.OAuth;

/// <summary>Registers the OAuth side of the silo.</summary>
public static class OAuthServiceCollectionExtensions
{
    /// <summary>Adds the options, the signing key ring, the token signer and the subject token reader.</summary>
    public static IServiceCollection AddDelegationOAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OAuthOptions>().Bind(configuration.GetSection(OAuthOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OAuthOptions>, OAuthOptionsValidator>();
        services.AddSingleton(CreateRing);
        services.AddSingleton<AccessTokens>();
        services.AddSingleton<SubjectTokens>();
        services.AddSingleton<DpopBinding>();
        services.AddSingleton<IAccessTokenKeyPublisher, RingKeyPublisher>();
        return services;
    }

    // A configured secret wins; a single silo with its own store keeps a generated one in its data directory; silos on a
    // shared store without one would each derive different keys, so they get none and refuse to issue tokens.
    private static SigningKeyRing CreateRing(IServiceProvider services)
    {
        var oauth = services.GetRequiredService<IOptions<OAuthOptions>>().Value;
        var silo = services.GetRequiredService<IOptions<DelegationOptions>>().Value;
        byte[]? secret = null;
        if (!string.IsNullOrEmpty(oauth.SigningSecret))
        {
            SigningSecret.TryDecode(oauth.SigningSecret, out secret);
        }
        else if (silo.Store is "sqlite" or "memory")
        {
            secret = SigningSecret.Provision(silo.DataDir);
        }

        return new SigningKeyRing(secret, oauth.KeyRotationPeriod, services.GetRequiredService<TimeProvider>());
    }
}
