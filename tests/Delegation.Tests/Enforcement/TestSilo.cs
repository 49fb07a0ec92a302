using Delegation.Api;
using Delegation.Client;
using Delegation.Grains.Budget;
using Delegation.Silo.Api;
using Delegation.Silo.Hosting;
using Delegation.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Delegation.Tests.Enforcement;

/// <summary>
/// A real silo on Kestrel over loopback, in this process: the silo's own wiring and endpoints, a memory store or a
/// SQLite file in a given directory, known keys, a fast heartbeat.
/// </summary>
public sealed class TestSilo : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key-0123456789abcdef";
    public const string EnforcerKey = "test-enforcer-key-0123456789abcdef";
    public static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(200);

    private readonly WebApplication _app;
    private readonly HttpClient _http;
    private bool _stopped;

    private TestSilo(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
        _http = new HttpClient { BaseAddress = url };
        Admin = new DelegationClient(_http, AdminKey);
    }

    /// <summary>The silo's address, e.g. http://127.0.0.1:40123/.</summary>
    public Uri Url { get; }

    /// <summary>A client with the admin key.</summary>
    public DelegationClient Admin { get; }

    /// <summary>The silo's services (its store, for instance), usable after <see cref="StopAsync"/> too.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts a silo on <paramref name="port"/> (0 for a free one), with a SQLite store under <paramref name="dataDir"/> or
    /// in memory; <paramref name="settings"/> add to (or override) its configuration, and <paramref name="time"/> replaces
    /// its domain clock.
    /// </summary>
    public static async Task<TestSilo> StartAsync(
        string? dataDir = null, int port = 0, TimeSpan? leaseIdleSettle = null, IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        var url = $"http://127.0.0.1:{port}";
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = url,
            ["Delegation:Store"] = dataDir is null ? "memory" : "sqlite",
            ["Delegation:DataDir"] = dataDir ?? Path.GetTempPath(),
            ["Delegation:AdminKey"] = AdminKey,
            ["Delegation:EnforcerKeys:0"] = EnforcerKey,
            ["Delegation:FeedHeartbeatInterval"] = Heartbeat.ToString(),
        });
        builder.Configuration.AddInMemoryCollection(OrleansTestPorts.Settings().Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.Services.PostConfigure<LeaseBankOptions>(o => o.IdleSettleAfter = leaseIdleSettle ?? TimeSpan.FromSeconds(1));
        builder.AddDelegationSilo();
        var app = builder.Build();
        app.MapDelegationApi();
        await app.StartAsync();
        return new TestSilo(app, new Uri(app.Urls.Single().TrimEnd('/') + "/"));
    }

    /// <summary>Stops the silo gracefully (it settles the leases it holds); its services stay readable.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
        _http.Dispose();
    }

    /// <summary>Alice grants an agent a root grant for tickets in project 42.</summary>
    public Task<GrantCreatedResponse> GrantAsync(long? budget = null, long ttlSeconds = 3600) =>
        Admin.CreateGrantAsync(new CreateGrantRequest("alice", "support-bot", ["tickets:*@projects/42/**"], budget, TtlSeconds: ttlSeconds));

    /// <summary>The holder of <paramref name="parent"/> delegates read access to a sub-agent.</summary>
    public Task<GrantCreatedResponse> DelegateAsync(GrantCreatedResponse parent, long? budget = null, long ttlSeconds = 600) =>
        Admin.WithCredential(parent.Token).DelegateAsync(
            parent.Grant.Id, new DelegateRequest("summarizer", ["tickets:read@projects/42/*"], budget, TtlSeconds: ttlSeconds));
}
