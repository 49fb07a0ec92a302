using Delegation.Client;
using Delegation.Tests.Cluster;

namespace Delegation.Tests.Enforcement.Transports;

/// <summary>Enforcers over the Orleans client: a real cluster client per enforcer, joined to the silos' gateways.</summary>
public sealed class OrleansTransportFixture : EnforcerTransportFixture
{
    private readonly List<TestClusterClient> _clients = [];

    public override async Task<(Enforcer Enforcer, FaultyTransport Transport)> CreateAsync(
        TestSilo silo, string name, TimeProvider? time = null, Action<EnforcerOptions>? configure = null) =>
        Create(Keep(await TestClusterClient.ConnectAsync(silo)), name, time, configure);

    public override async Task<(Enforcer Enforcer, FaultyTransport Transport)> CreateAsync(
        IReadOnlyList<ClusterSilo> silos, string name, Action<EnforcerOptions>? configure = null) =>
        Create(Keep(await TestClusterClient.ConnectAsync(silos[0].ClusterId, "delegation", [.. silos.Select(s => s.GatewayPort)])), name, null, configure);

    public override Uri? KeyAuthority(TestSilo silo) => null;

    public override async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }
    }

    private TestClusterClient Keep(TestClusterClient client)
    {
        _clients.Add(client);
        return client;
    }

    private static (Enforcer, FaultyTransport) Create(TestClusterClient client, string name, TimeProvider? time, Action<EnforcerOptions>? configure)
    {
        var options = Options(name, configure);
        var transport = new FaultyTransport(new OrleansEnforcerTransport(client.Client, options.RequestTimeout));
        return (new Enforcer(options, transport, time), transport);
    }
}
