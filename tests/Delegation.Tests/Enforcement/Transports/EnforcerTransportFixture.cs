using Delegation.Client;
using Delegation.Tests.Cluster;

namespace Delegation.Tests.Enforcement.Transports;

/// <summary>
/// Makes enforcers on one transport, each through a <see cref="FaultyTransport"/> the test can fault, against an
/// in-process test silo or silo processes of one cluster. Owns whatever it connected (Orleans clients), and lets
/// it go when disposed.
/// </summary>
public abstract class EnforcerTransportFixture : IAsyncDisposable
{
    /// <summary>An enforcer on this transport to <paramref name="silo"/>, not yet started.</summary>
    public abstract Task<(Enforcer Enforcer, FaultyTransport Transport)> CreateAsync(
        TestSilo silo, string name, TimeProvider? time = null, Action<EnforcerOptions>? configure = null);

    /// <summary>An enforcer on this transport to the silos of one cluster (failing over among them), not yet started.</summary>
    public abstract Task<(Enforcer Enforcer, FaultyTransport Transport)> CreateAsync(
        IReadOnlyList<ClusterSilo> silos, string name, Action<EnforcerOptions>? configure = null);

    /// <summary>As <see cref="CreateAsync(TestSilo, string, TimeProvider?, Action{EnforcerOptions}?)"/>, then started and connected to the feed.</summary>
    public async Task<(Enforcer Enforcer, FaultyTransport Transport)> ConnectedAsync(
        TestSilo silo, string name, TimeProvider? time = null, Action<EnforcerOptions>? configure = null)
    {
        var created = await CreateAsync(silo, name, time, configure);
        await created.Enforcer.WaitForFeedAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return created;
    }

    /// <summary>
    /// Where an enforcer on this transport reads the authority's signing keys from: the silo's URL over HTTP, or null
    /// when the transport reads them itself.
    /// </summary>
    public abstract Uri? KeyAuthority(TestSilo silo);

    public abstract ValueTask DisposeAsync();

    /// <summary>The options every enforcer of these tests starts from: short timeouts, so that faults show quickly.</summary>
    protected static EnforcerOptions Options(string name, Action<EnforcerOptions>? configure)
    {
        var options = new EnforcerOptions { Name = name, RequestTimeout = TimeSpan.FromSeconds(2) };
        configure?.Invoke(options);
        return options;
    }
}
