using System.Net;
using Delegation.Client;

namespace Delegation.LoadTest.Hosting;

/// <summary>
/// The silo a scenario drives: one it started in this process (<see cref="SiloHost"/>), or one at <c>--url</c> on
/// this machine's loopback. Hands out HTTP clients with keep-alive connection pools.
/// </summary>
public sealed class SiloTarget : IAsyncDisposable
{
    private readonly SiloHost? _host;
    private readonly List<HttpClient> _clients = [];

    private SiloTarget(SiloHost? host, Uri baseAddress, string adminKey, string enforcerKey)
    {
        _host = host;
        BaseAddress = baseAddress;
        AdminKey = adminKey;
        EnforcerKey = enforcerKey;
    }

    /// <summary>The silo's base address.</summary>
    public Uri BaseAddress { get; }

    /// <summary>A key with the admin role.</summary>
    public string AdminKey { get; }

    /// <summary>A key allowed to check, read the feed and take leases.</summary>
    public string EnforcerKey { get; }

    /// <summary>The in-process silo, or null for an external one.</summary>
    public SiloHost? Host => _host;

    /// <summary>True when the silo runs in this process and so has the no-op baseline endpoint.</summary>
    public bool HasNoopEndpoint => _host is not null;

    /// <summary>Starts an in-process silo, or targets <paramref name="url"/> (which must be a loopback address).</summary>
    public static async Task<SiloTarget> OpenAsync(string store, Uri? url, string? adminKey, Action<IServiceCollection>? configureServices = null)
    {
        if (url is null)
        {
            var host = await SiloHost.StartAsync(store, configureServices).ConfigureAwait(false);
            return new SiloTarget(host, host.BaseAddress, host.AdminKey, host.EnforcerKey);
        }

        if (!Cli.SiloUrl.TryParse(url.OriginalString, out _, out var error))
        {
            throw new ArgumentException(error);
        }

        if (string.IsNullOrEmpty(adminKey))
        {
            throw new ArgumentException("--url needs --admin-key (the silo's admin key).");
        }

        var baseAddress = new Uri(url.AbsoluteUri.TrimEnd('/') + "/");
        return new SiloTarget(null, baseAddress, adminKey, adminKey);
    }

    /// <summary>A client with up to <paramref name="connections"/> keep-alive connections.</summary>
    public HttpClient CreateHttpClient(int connections)
    {
        var client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        _clients.Add(client);
        return client;
    }

    /// <summary>A typed client with the admin key.</summary>
    public DelegationClient Admin(int connections = 8) => new(CreateHttpClient(connections), AdminKey);

    /// <summary>A typed client with the enforcer key.</summary>
    public DelegationClient Enforcer(int connections = 8) => new(CreateHttpClient(connections), EnforcerKey);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        if (_host is not null)
        {
            await _host.DisposeAsync().ConfigureAwait(false);
        }
    }
}
