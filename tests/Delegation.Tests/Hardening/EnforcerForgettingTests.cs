using System.Text.Json;
using Delegation.Api;
using Delegation.Silo.Feed;
using Delegation.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Delegation.Tests.Hardening;

/// <summary>
/// The enforcer registry does not grow without bound: a name with no feed stream open for
/// <see cref="EnforcerRegistryOptions.ForgetAfter"/> is forgotten, so names that came and went long ago leave
/// <c>/v1/stats</c> small, while connected enforcers and recently gone ones stay.
/// </summary>
public sealed class EnforcerForgettingTests
{
    private static readonly TimeSpan ForgetAfter = new EnforcerRegistryOptions().ForgetAfter;

    [Fact]
    public void Names_not_connected_for_the_forget_time_are_forgotten_and_connected_ones_stay()
    {
        var clock = new ManualTimeProvider();
        var registry = new EnforcerRegistry(clock, new EnforcerRegistryOptions());
        using var live = registry.Connect("live");
        for (var i = 0; i < 1000; i++)
        {
            registry.Connect($"gone-{i}").Dispose();
            registry.Acknowledge($"never-connected-{i}", 1);
        }

        clock.Advance(ForgetAfter - TimeSpan.FromSeconds(1));
        using (registry.Connect("recent"))
        {
        }

        Assert.Equal(2002, registry.List(10).Count);
        clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(["live", "recent"], registry.List(10).Select(e => e.Name));
        clock.Advance(ForgetAfter);
        Assert.Equal(["live"], registry.List(10).Select(e => e.Name));
    }

    [Fact]
    public async Task Stats_stay_small_once_names_long_gone_are_forgotten()
    {
        var clock = new ManualTimeProvider();
        await using var silo = SiloFactory.With(new SiloFactoryOptions { Time = clock });
        var registry = silo.Services.GetRequiredService<EnforcerRegistry>();
        for (var i = 0; i < 5000; i++)
        {
            registry.Connect($"enforcer-that-came-and-went-{i:D5}").Dispose();
        }

        var full = await StatsAsync(silo);
        clock.Advance(ForgetAfter + TimeSpan.FromSeconds(1));
        var after = await StatsAsync(silo);

        Assert.Equal(5000, full.Stats.Enforcers.Count);
        Assert.Empty(after.Stats.Enforcers);
        Assert.True(after.Bytes < full.Bytes / 50, $"/v1/stats is {after.Bytes} bytes after forgetting, {full.Bytes} before.");
    }

    private static async Task<(SiloStats Stats, int Bytes)> StatsAsync(SiloFactory silo)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/stats");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + TestKeys.Admin);
        using var response = await silo.Http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(200, (int)response.StatusCode);
        return (JsonSerializer.Deserialize(body, DelegationJsonContext.Default.SiloStats)!, body.Length);
    }
}
