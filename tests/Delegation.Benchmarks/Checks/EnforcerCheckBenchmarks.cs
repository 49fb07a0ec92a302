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
}
