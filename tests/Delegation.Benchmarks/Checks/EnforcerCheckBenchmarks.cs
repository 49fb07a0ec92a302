using System.Collections.Concurrent;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using Delegation.LoadTest.Hosting;
using Delegation.Api;
using Delegation.Client;
using Delegation.Silo.Api;
using Delegation.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Delegation.Benchmarks.Checks;

/// <summary>
/// The enforcer's cache-hit check against the floor any cache pays: a concurrent dictionary lookup of the token.
/// With a rate limit on the chain (one that does not bind, so every check is allowed from the enforcer's share of it)
/// and a rate-limited deny answered from the cache while the retry-after runs, in the same run.
/// A real silo runs in the process on 127.0.0.1 (its Orleans endpoints on free loopback ports) to fill the cache and feed it.
/// </summary>
[MemoryDiagnoser]
public class EnforcerCheckBenchmarks
{
    private const string Action = "tickets:read";
    private const string Resource = "projects/42/7";
    private const string Key = "benchmark-admin-key-0123456789";

    private WebApplication _silo = null!;
    private Enforcer _enforcer = null!;
    private ConcurrentDictionary<string, bool> _floor = null!;
    private string _token = null!;
    private string _grantId = null!;
    private string _ratedToken = null!;
    private string _limitedToken = null!;
    private string _tempDir = null!;

    /// <summary>Starts a silo and an enforcer, creates a grant and caches it.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _tempDir = Directory.CreateTempSubdirectory("delegation-bench-").FullName;
        var (siloPort, gatewayPort) = LoopbackPorts.TakeTwo();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = _tempDir });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Delegation:Store"] = "memory",
            ["Delegation:DataDir"] = _tempDir,
            ["Delegation:AdminKey"] = Key,
            ["Delegation:Orleans:SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
            ["Delegation:Orleans:GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
        });
        builder.Logging.ClearProviders();
        builder.AddDelegationSilo();
        _silo = builder.Build();
        _silo.MapDelegationApi();
        _silo.StartAsync().GetAwaiter().GetResult();
        var url = new Uri(_silo.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");

        using var http = new HttpClient { BaseAddress = url };
        var created = new DelegationClient(http, Key)
            .CreateGrantAsync(new CreateGrantRequest("alice", "bot", ["tickets:*@projects/**"], TtlSeconds: 3600)).GetAwaiter().GetResult();
        var client = new DelegationClient(http, Key);
        _ratedToken = client.CreateGrantAsync(new CreateGrantRequest(
            "alice", "bot", ["tickets:*@projects/**"], TtlSeconds: 3600, Rate: new Grants.RateLimit(1_000_000_000, 1))).GetAwaiter().GetResult().Token;
        _limitedToken = client.CreateGrantAsync(new CreateGrantRequest(
            "alice", "bot", ["tickets:*@projects/**"], TtlSeconds: 3600, Rate: new Grants.RateLimit(1, 86_400))).GetAwaiter().GetResult().Token;
        _token = created.Token;
        _grantId = created.Grant.Id;
        _floor = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal) { [_token] = true };

        _enforcer = new Enforcer(new EnforcerOptions { SiloUrls = [url], Credential = Key, Name = "benchmark" });
        _enforcer.WaitForFeedAsync().WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        if (!_enforcer.CheckAsync(_token, Action, Resource).AsTask().GetAwaiter().GetResult().IsAllowed
            || !_enforcer.CheckAsync(_grantId, Action, Resource).AsTask().GetAwaiter().GetResult().IsAllowed)
        {
            throw new InvalidOperationException("The benchmark grant was denied.");
        }

        _enforcer.CheckAsync(_limitedToken, Action, Resource).AsTask().GetAwaiter().GetResult();
        if (!_enforcer.CheckAsync(_ratedToken, Action, Resource).AsTask().GetAwaiter().GetResult().IsAllowed
            || _enforcer.CheckAsync(_limitedToken, Action, Resource).AsTask().GetAwaiter().GetResult().Reason != Grants.DenyReason.RateLimited)
        {
            throw new InvalidOperationException("The rate-limited benchmark grants did not answer as expected.");
        }
    }

    /// <summary>Stops the enforcer and the silo.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _enforcer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _silo.StopAsync().GetAwaiter().GetResult();
        _silo.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_tempDir, recursive: true);
    }

    /// <summary>The floor: looking the token up in a concurrent dictionary.</summary>
    [Benchmark(Baseline = true)]
    public bool DictionaryLookup() => _floor.TryGetValue(_token, out var allowed) && allowed;

    /// <summary>A cache-hit check by token.</summary>
    [Benchmark]
    public bool CacheHitByToken() => _enforcer.CheckAsync(_token, Action, Resource).Result.IsAllowed;

    /// <summary>A cache-hit check by grant id.</summary>
    [Benchmark]
    public bool CacheHitByGrantId() => _enforcer.CheckAsync(_grantId, Action, Resource).Result.IsAllowed;

    /// <summary>A cache-hit check by token on a chain with a rate limit: taken from the enforcer's share of the rate.</summary>
    [Benchmark]
    public bool CacheHitRateLimitedChain() => _enforcer.CheckAsync(_ratedToken, Action, Resource).Result.IsAllowed;

    /// <summary>A check whose rate is used up, denied rate_limited from the cache while the retry-after runs.</summary>
    [Benchmark]
    public bool RateLimitedDenyFromCache() => _enforcer.CheckAsync(_limitedToken, Action, Resource).Result.IsAllowed;
}
