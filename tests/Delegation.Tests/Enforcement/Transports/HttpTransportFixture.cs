using Delegation.Client;
using Delegation.Tests.Cluster;

namespace Delegation.Tests.Enforcement.Transports;

/// <summary>Enforcers over HTTP: the silos' API, with the enforcer key.</summary>
public sealed class HttpTransportFixture : EnforcerTransportFixture
{
    public override Task<(Enforcer Enforcer, FaultyTransport Transport)> CreateAsync(
        TestSilo silo, string name, TimeProvider? time = null, Action<EnforcerOptions>? configure = null) =>
        Task.FromResult(Create([silo.Url], TestSilo.EnforcerKey, name, time, configure));

    public override Task<(Enforcer Enforcer, FaultyTransport Transport)> CreateAsync(
        IReadOnlyList<ClusterSilo> silos, string name, Action<EnforcerOptions>? configure = null) =>
        Task.FromResult(Create([.. silos.Select(s => s.Address)], ClusterKeys.Enforcer, name, null, configure));

    public override Uri? KeyAuthority(TestSilo silo) => silo.Url;

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static (Enforcer, FaultyTransport) Create(Uri[] urls, string key, string name, TimeProvider? time, Action<EnforcerOptions>? configure)
    {
        var options = Options(name, configure);
        var transport = new FaultyTransport(new HttpEnforcerTransport(new SiloPool(urls, key, options.RequestTimeout, handler: null)));
        return (new Enforcer(options, transport, time), transport);
    }
}
