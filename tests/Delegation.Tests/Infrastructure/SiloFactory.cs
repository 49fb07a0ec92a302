using System.Globalization;
using System.Net;
using Delegation.Client;
using Delegation.Grains.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Delegation.Tests.Infrastructure;

/// <summary>
/// The real silo (<c>Program</c>) behind the real HTTP pipeline, in-process (test server) or on a loopback port
/// (Kestrel), with a chosen store, the <see cref="TestKeys"/>, and optionally a manual clock.
/// </summary>
public class SiloFactory : WebApplicationFactory<Program>
{
    private readonly TempDirectory? _ownedDataDir;
    private readonly Lazy<HttpClient> _http;

    /// <summary>A silo with the default options: memory store, the test keys, the system clock.</summary>
    public SiloFactory()
        : this(new SiloFactoryOptions())
    {
    }

    /// <summary>A silo configured by <paramref name="options"/> (xunit wants fixtures to have one public constructor).</summary>
    protected SiloFactory(SiloFactoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        if (options.DataDir is null)
        {
            _ownedDataDir = new TempDirectory("silo");
        }

        DataDir = options.DataDir ?? _ownedDataDir!.Path;
        if (options.Kestrel)
        {
            UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        }

        _http = new Lazy<HttpClient>(CreateClient);
    }

    /// <summary>A silo configured by <paramref name="options"/>; the caller disposes it.</summary>
    public static SiloFactory With(SiloFactoryOptions options) => new(options);

    /// <summary>The options this silo was configured with.</summary>
    public SiloFactoryOptions Options { get; }

    /// <summary>The silo's data directory.</summary>
    public string DataDir { get; }

    /// <summary>One HTTP client to the silo, shared by the typed clients below; it sends no credential itself.</summary>
    public HttpClient Http => _http.Value;

    /// <summary>A typed client with the admin key.</summary>
    public DelegationClient Admin => As(TestKeys.Admin);

    /// <summary>A typed client with the issuer key.</summary>
    public DelegationClient Issuer => As(TestKeys.Issuer);

    /// <summary>A typed client with the enforcer key.</summary>
    public DelegationClient Enforcer => As(TestKeys.Enforcer);

    /// <summary>The silo's store, to read the feed head and events without going through the API.</summary>
    public IEventStore Store => Services.GetRequiredService<IEventStore>();

    /// <summary>A typed client that sends <paramref name="credential"/> (a key or a grant token).</summary>
    public DelegationClient As(string credential) => new(Http, credential);

    /// <summary>The newest feed sequence number.</summary>
    public Task<long> FeedHeadAsync() => Store.GetFeedHeadAsync();

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // Never the default http://localhost:5080: parallel silos would fight over it.
        builder.UseSetting("urls", "http://127.0.0.1:0");
        builder.UseSetting("Delegation:Store", Options.Store);
        if (Options.Redis is { } redis)
        {
            builder.UseSetting("ConnectionStrings:Redis", redis.Configuration);
            builder.UseSetting("Delegation:Redis:KeyPrefix", redis.KeyPrefix);

            // A Redis-store silo is a member of the cluster whose membership is on that Redis: a cluster of one here.
            builder.UseSetting("Delegation:Cluster", "redis");
            builder.UseSetting("Delegation:Orleans:ClusterId", redis.KeyPrefix);
            builder.UseSetting("Delegation:Orleans:AdvertisedAddress", "127.0.0.1");
        }

        foreach (var (key, value) in OrleansTestPorts.Settings())
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Delegation:DataDir", DataDir);
        builder.UseSetting("Delegation:IssuerKeys:0", TestKeys.Issuer);
        builder.UseSetting("Delegation:EnforcerKeys:0", TestKeys.Enforcer);
        if (Options.AdminKey is { } adminKey)
        {
            builder.UseSetting("Delegation:AdminKey", adminKey);
        }

        if (Options.MaxRequestBodyBytes is { } max)
        {
            builder.UseSetting("Delegation:MaxRequestBodyBytes", max.ToString(CultureInfo.InvariantCulture));
        }

        if (Options.FeedHeartbeatInterval is { } heartbeat)
        {
            builder.UseSetting("Delegation:FeedHeartbeatInterval", heartbeat.ToString("c", CultureInfo.InvariantCulture));
        }

        builder.UseSetting("Delegation:Security:FailedAuthenticationLimit", Options.FailedAuthenticationLimit.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Delegation:Security:FailedAuthenticationWindow", "1.00:00:00");
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureTestServices(services =>
        {
            // A stop that hangs on an open request fails a test in seconds, not after the default 30; 15 s, because on a
            // loaded 2-core machine Orleans' own stop once took more than 5 (HostingTests, clean-clone CI).
            services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(15));
            if (Options.Time is { } time)
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton(time);
            }
        });
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _ownedDataDir?.Dispose();
        }
    }
}
