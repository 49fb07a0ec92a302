namespace Delegation.SampleGateway.Configuration;

/// <summary>
/// Orleans mode's settings (section <c>Gateway:Orleans</c>): how the gateway finds the cluster's Orleans gateways.
/// With <see cref="RedisConnectionString"/> it reads them from the cluster's membership on Redis (what the silos of
/// <c>Delegation:Cluster=redis</c> write), so silos can come and go; otherwise it uses the fixed list in
/// <see cref="Gateways"/>.
/// </summary>
public sealed class GatewayOrleansOptions
{
    /// <summary>The cluster's Redis (StackExchange.Redis configuration string); empty to use <see cref="Gateways"/>.</summary>
    public string RedisConnectionString { get; set; } = string.Empty;

    /// <summary>Fixed gateway endpoints, <c>host:port</c>, comma-separated (default the embedded silo's, <c>127.0.0.1:30000</c>).</summary>
    public string Gateways { get; set; } = "127.0.0.1:30000";

    /// <summary>The cluster id the silos run with (<c>Delegation:Orleans:ClusterId</c>; default <c>delegation</c>).</summary>
    public string ClusterId { get; set; } = "delegation";

    /// <summary>The service id the silos run with (<c>Delegation:Orleans:ServiceId</c>; default <c>delegation</c>).</summary>
    public string ServiceId { get; set; } = "delegation";

    /// <summary>The entries of <see cref="Gateways"/>.</summary>
    public IEnumerable<string> GatewayList() =>
        Gateways.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
