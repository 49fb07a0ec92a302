namespace Delegation.Silo.Hosting;

/// <summary>
/// How the silo joins its Orleans cluster, bound from <c>Delegation:Orleans</c> (env: <c>Delegation__Orleans__SiloPort</c>).
/// Which membership it uses is <c>Delegation:Cluster</c> (<see cref="Configuration.DelegationOptions.Cluster"/>).
/// </summary>
public sealed class OrleansOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "Delegation:Orleans";

    /// <summary>Port silos talk to each other on (default 11111).</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port Orleans clients (gateways) connect to (default 30000).</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The cluster's id: silos and clients with the same id form one cluster (default <c>delegation</c>).</summary>
    public string ClusterId { get; set; } = "delegation";

    /// <summary>The service's id, stable across deployments (default <c>delegation</c>).</summary>
    public string ServiceId { get; set; } = "delegation";

    /// <summary>
    /// The address other silos and clients reach this silo at, with <c>redis</c> membership (default: this host's
    /// first IPv4 address; loopback when it has none). Localhost membership always uses loopback.
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>A tree grain not used for this long is deactivated (default 10 minutes).</summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the store is asked for trees whose expiry or lease end is due while not active (default 5 seconds).</summary>
    public TimeSpan DueSweepInterval { get; set; } = TimeSpan.FromSeconds(5);
}
