using System.Globalization;
using System.Security.Cryptography;
using Delegation.Silo.Api;
using Delegation.Silo.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Delegation.LoadTest.Hosting;

/// <summary>
/// The real silo (<c>AddDelegationSilo</c> + <c>MapDelegationApi</c>) started in this process on Kestrel at
/// 127.0.0.1 on a free port, its Orleans silo and gateway on free loopback ports too (localhost clustering), plus one endpoint of the load test's own: <see cref="NoopPath"/>, the baseline that
/// costs what Kestrel, routing and reading the body cost and nothing else.
/// </summary>
public sealed class SiloHost : IAsyncDisposable
{
    /// <summary>The no-op endpoint: reads the request body and answers a fixed small JSON document.</summary>
    public const string NoopPath = "/loadtest/noop";

    private static readonly byte[] NoopAnswer = """{"decision":"allow","grantId":"noop"}"""u8.ToArray();

    private readonly WebApplication _app;
    private readonly string _dataDir;

    private SiloHost(WebApplication app, Uri baseAddress, string adminKey, string enforcerKey, string dataDir)
    {
        _app = app;
        BaseAddress = baseAddress;
        AdminKey = adminKey;
        EnforcerKey = enforcerKey;
        _dataDir = dataDir;
    }

    /// <summary>Where the silo listens, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The admin key the silo was started with.</summary>
    public string AdminKey { get; }

    /// <summary>An enforcer key the silo was started with.</summary>
    public string EnforcerKey { get; }

    /// <summary>The silo's services (grain factory, store), for audits that read state directly.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a silo on <paramref name="store"/> ("memory" or "sqlite", in a fresh temporary directory).</summary>
    /// <param name="store">The store.</param>
    /// <param name="configureServices">Runs before the silo's own registrations (its options use TryAdd).</param>
    public static async Task<SiloHost> StartAsync(string store, Action<IServiceCollection>? configureServices = null)
    {
        var dataDir = Directory.CreateTempSubdirectory("delegation-loadtest-").FullName;
        var adminKey = NewKey("admin");
        var enforcerKey = NewKey("enforcer");
        var (siloPort, gatewayPort) = LoopbackPorts.TakeTwo();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = dataDir });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Delegation:Store"] = store,
            ["Delegation:DataDir"] = dataDir,
            ["Delegation:AdminKey"] = adminKey,
            ["Delegation:EnforcerKeys:0"] = enforcerKey,
            ["Delegation:SiloName"] = "loadtest-silo",
            ["Delegation:Orleans:SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
            ["Delegation:Orleans:GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
        });

        // Per-request logging would measure the console, not the silo.
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        configureServices?.Invoke(builder.Services);
        builder.AddDelegationSilo();

        var app = builder.Build();
        app.MapDelegationApi();
        app.MapPost(NoopPath, NoopAsync).AllowAnonymous();
        await app.StartAsync().ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SiloHost(app, new Uri(address.TrimEnd('/') + "/"), adminKey, enforcerKey, dataDir);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // A temporary directory left behind is harmless.
        }
    }

    private static async Task NoopAsync(HttpContext context)
    {
        // Read the body as the check endpoint does, so the baseline pays the same transport cost.
        var buffer = new byte[512];
        while (await context.Request.Body.ReadAsync(buffer, context.RequestAborted).ConfigureAwait(false) > 0)
        {
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = NoopAnswer.Length;
        await context.Response.Body.WriteAsync(NoopAnswer, context.RequestAborted).ConfigureAwait(false);
    }

    private static string NewKey(string role) => $"loadtest-{role}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}";
}
