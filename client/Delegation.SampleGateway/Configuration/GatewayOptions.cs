namespace Delegation.SampleGateway.Configuration;

/// <summary>
/// The sample gateway's own settings (section <c>Gateway</c>). What it proxies, and what each route asks of the
/// agent's grant, is YARP's section <c>ReverseProxy</c> (see <see cref="Routing.DelegationRouteMetadata"/>).
/// </summary>
public sealed class GatewayOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Gateway";

    /// <summary><see cref="Mode"/>: the enforcer reaches the silos over HTTP (checks, chains, the SSE feed).</summary>
    public const string HttpMode = "http";

    /// <summary><see cref="Mode"/>: the gateway joins the cluster as an Orleans client (tree grains called directly, the feed streamed inside the cluster).</summary>
    public const string OrleansMode = "orleans";

    /// <summary>How the enforcer reaches the authority: <c>http</c> (default) or <c>orleans</c>.</summary>
    public string Mode { get; set; } = HttpMode;

    /// <summary>Orleans mode: how to find the cluster (section <c>Gateway:Orleans</c>).</summary>
    public GatewayOrleansOptions Orleans { get; set; } = new();

    /// <summary>HTTP mode: the silo (or silos, comma-separated) the enforcer asks and follows.</summary>
    public string SiloUrl { get; set; } = "http://localhost:5080";

    /// <summary>HTTP mode: an enforcer (or admin) key of the silo. Required.</summary>
    public string EnforcerKey { get; set; } = string.Empty;

    /// <summary>The enforcer's name (the silo lists enforcers and counts their acknowledgements by it); empty for the enforcer's default.</summary>
    public string EnforcerName { get; set; } = string.Empty;

    /// <summary>
    /// Where to run the built-in demo upstream (a small tickets service, <see cref="TicketsUpstream"/>), a loopback
    /// http URL; empty runs none. The shipped configuration runs it on http://127.0.0.1:5091 and points the
    /// <c>tickets</c> cluster there, so the walkthrough works out of the box.
    /// </summary>
    public string BuiltInUpstreamUrl { get; set; } = string.Empty;

    /// <summary>The silo URLs of <see cref="SiloUrl"/>.</summary>
    public IEnumerable<string> SiloUrls() =>
        SiloUrl.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
