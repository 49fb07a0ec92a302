using Delegation.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Delegation.Tests.Enforcement;

/// <summary>Options are validated up front, every failure reported at once; DI registers one enforcer.</summary>
public sealed class EnforcerOptionsTests
{
    [Fact]
    public void The_default_name_is_the_host_and_the_application_so_a_restarted_gateway_takes_its_old_name()
    {
        var first = new EnforcerOptions().Name;
        var restarted = new EnforcerOptions().Name;
        var application = System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name;

        Assert.Equal(first, restarted);
        Assert.Equal(string.IsNullOrEmpty(application) ? Environment.MachineName : $"{Environment.MachineName}/{application}", first);
        Assert.DoesNotContain(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), first.Split('/')[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_access_token_options_are_refused_with_every_failure_at_once()
    {
        var options = new EnforcerOptions { SiloUrls = [new Uri("http://127.0.0.1:1/")], Credential = "test-enforcer-key-0123456789" };
        options.AccessTokens.Audience = string.Empty;
        options.AccessTokens.Authority = new Uri("ftp://keys/");
        options.AccessTokens.KeyRefreshInterval = TimeSpan.Zero;
        options.AccessTokens.ClockSkew = TimeSpan.FromMinutes(10);

        var error = Assert.Throws<OptionsValidationException>(() => new Enforcer(options));

        Assert.Equal(
            [
                "AccessTokens:Audience must be 1 to 256 characters.",
                "AccessTokens:Authority must be an absolute http or https URL, not 'ftp://keys/'.",
                "AccessTokens:KeyRefreshInterval must be positive and at most 24.20:31:23.6470000; it is 00:00:00.",
                "AccessTokens:ClockSkew must be between 0 and 5 minutes, not 00:10:00.",
            ],
            error.Failures);
    }

    [Fact]
    public void Invalid_options_are_refused_with_every_failure_at_once()
    {
        var options = new EnforcerOptions
        {
            SiloUrls = [new Uri("ftp://silo/"), new Uri("relative", UriKind.Relative)],
            Credential = "has space",
            Name = " padded ",
            MaxStaleness = TimeSpan.Zero,
            CacheCapacity = 0,
            LeaseUnits = 0,
            MaxLeaseUnits = -1,
            LeaseLifetime = TimeSpan.FromMinutes(11),
            LeaseExpiryMargin = TimeSpan.FromMinutes(12),
            IdleSettleAfter = TimeSpan.FromSeconds(-1),
            RequestTimeout = TimeSpan.Zero,
            ReconnectDelay = TimeSpan.FromSeconds(2),
            MaxReconnectDelay = TimeSpan.FromSeconds(1),
        };

        var error = Assert.Throws<OptionsValidationException>(() => new Enforcer(options));

        Assert.Equal(
            [
                "SiloUrls[0] must be an absolute http or https URL; it is 'ftp://silo/'.",
                "SiloUrls[1] must be an absolute http or https URL; it is 'relative'.",
                "Credential: The credential must not contain whitespace or control characters; give it without the 'Bearer ' prefix.",
                "Name must be 1 to 256 printable characters without leading or trailing spaces.",
                "MaxStaleness must be positive and at most 24.20:31:23.6470000; it is 00:00:00.",
                "CacheCapacity must be at least 1; it is 0.",
                "LeaseUnits must be at least 1; it is 0.",
                "MaxLeaseUnits (-1) must not be less than LeaseUnits (0).",
                "LeaseLifetime must be between 1 second and 10 minutes; it is 00:11:00.",
                "LeaseExpiryMargin must be at least zero and less than LeaseLifetime (00:11:00); it is 00:12:00.",
                "IdleSettleAfter must be positive and at most 24.20:31:23.6470000; it is -00:00:01.",
                "RequestTimeout must be positive and at most 24.20:31:23.6470000; it is 00:00:00.",
                "MaxReconnectDelay (00:00:01) must not be less than ReconnectDelay (00:00:02).",
            ],
            error.Failures);
    }

    [Fact]
    public void Missing_silos_and_credential_are_reported()
    {
        var error = Assert.Throws<OptionsValidationException>(() => new Enforcer(new EnforcerOptions()));

        Assert.Equal(
            [
                "SiloUrls must list at least one silo URL, e.g. http://localhost:5080/.",
                "Credential: A credential is required: an admin, issuer or enforcer key, or a grant token (dgt_...).",
            ],
            error.Failures);
    }

    [Fact]
    public async Task AddDelegationEnforcer_registers_one_validated_enforcer()
    {
        var services = new ServiceCollection();
        services.AddDelegationEnforcer(o =>
        {
            o.SiloUrls = [new Uri("http://127.0.0.1:1/")];
            o.Credential = TestSilo.EnforcerKey;
            o.Name = "from-di";
        });
        await using (var provider = services.BuildServiceProvider())
        {
            var enforcer = provider.GetRequiredService<Enforcer>();

            Assert.Same(enforcer, provider.GetRequiredService<Enforcer>());
            Assert.Equal("from-di", enforcer.Name);
        }

        var invalid = new ServiceCollection().AddDelegationEnforcer(o => o.CacheCapacity = -5);
        await using var invalidProvider = invalid.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => invalidProvider.GetRequiredService<Enforcer>());
        Assert.Contains("CacheCapacity must be at least 1; it is -5.", error.Failures);
    }
}
