using Delegation.Grains.Trees;
using Delegation.Silo.Configuration;
using Delegation.Silo.Hosting;
using Delegation.Storage.Postgres;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Delegation.Tests.Api;

/// <summary>The silo's cluster settings are checked at start-up, every problem reported at once.</summary>
public sealed class SiloOptionsValidationTests
{
    [Fact]
    public void A_cluster_kind_other_than_localhost_or_redis_is_refused()
    {
        var result = new DelegationOptionsValidator(Configuration()).Validate(null, new DelegationOptions { Cluster = "zookeeper" });

        Assert.Equal(["Delegation:Cluster must be 'localhost' or 'redis', not 'zookeeper'."], result.Failures);
    }

    [Fact]
    public void Redis_membership_without_a_redis_connection_string_is_refused_saying_how_to_set_it()
    {
        var without = new DelegationOptionsValidator(Configuration()).Validate(null, new DelegationOptions { Cluster = "redis" });
        var with = new DelegationOptionsValidator(Configuration(("ConnectionStrings:Redis", "127.0.0.1:6379"))).Validate(null, new DelegationOptions { Cluster = "redis" });

        Assert.Contains("ConnectionStrings__Redis", Assert.Single(without.Failures!), StringComparison.Ordinal);
        Assert.True(with.Succeeded);
    }

    [Fact]
    public void The_redis_store_needs_the_cluster_on_the_same_redis()
    {
        var configuration = Configuration(("ConnectionStrings:Redis", "127.0.0.1:6379"));

        var alone = new DelegationOptionsValidator(configuration).Validate(null, new DelegationOptions { Store = "redis" });
        var member = new DelegationOptionsValidator(configuration).Validate(null, new DelegationOptions { Store = "redis", Cluster = "redis" });

        Assert.Contains("Delegation:Cluster must be 'redis' too", Assert.Single(alone.Failures!), StringComparison.Ordinal);
        Assert.True(member.Succeeded);
    }

    [Fact]
    public void Bad_Orleans_endpoints_are_all_reported_at_once()
    {
        var result = new OrleansOptionsValidator().Validate(null, new OrleansOptions
        {
            SiloPort = 0,
            GatewayPort = 0,
            ClusterId = " ",
            AdvertisedAddress = "silo-a.local",
            CollectionAge = TimeSpan.FromSeconds(10),
            DueSweepInterval = TimeSpan.Zero,
        });

        Assert.Equal(6, result.Failures!.Count());
        Assert.True(new OrleansOptionsValidator().Validate(null, new OrleansOptions()).Succeeded);
    }

    [Fact]
    public void A_negative_conflict_retry_limit_is_refused()
    {
        var result = new TreeGrainOptionsValidator().Validate(null, new TreeGrainOptions { MaxConflictRetries = -1 });

        Assert.Equal(["Delegation:Trees:MaxConflictRetries must be between 0 and 1000."], result.Failures);
    }

    [Fact]
    public void The_postgres_stores_group_commit_and_retries_are_read_from_configuration_and_checked()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Delegation:Postgres:MaxAppendsPerCommit"] = "32",
            ["Delegation:Postgres:RetryDelay"] = "00:00:00.2",
        });
        builder.AddDelegationSilo();
        using var services = builder.Services.BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<PostgresStoreOptions>>().Value;
        var refused = new PostgresOptionsValidator().Validate(null, new PostgresStoreOptions { MaxAppendsPerCommit = 0, MaxAttempts = 11 });

        Assert.Equal((32, TimeSpan.FromMilliseconds(200)), (options.MaxAppendsPerCommit, options.RetryDelay));
        Assert.Equal(
            ["Delegation:Postgres:MaxAttempts must be between 1 and 10; it is 11.", "Delegation:Postgres:MaxAppendsPerCommit must be between 1 and 10000; it is 0."],
            refused.Failures);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
}
