using Delegation.Client.AspNetCore;

namespace Delegation.SampleGateway;

/// <summary>The sample gateway's settings (section <c>Gateway</c>).</summary>
public sealed class GatewayOptions
{
    /// <summary>The silo (or silos, comma-separated) the enforcer asks and follows.</summary>
    public string SiloUrl { get; set; } = "http://localhost:5080";

    /// <summary>An enforcer (or admin) key of the silo.</summary>
    public string EnforcerKey { get; set; } = string.Empty;

    /// <summary>The upstream service; empty runs the built-in tickets service on <see cref="BuiltInUpstreamUrl"/>.</summary>
    public string UpstreamUrl { get; set; } = string.Empty;

    /// <summary>Where the built-in upstream listens when <see cref="UpstreamUrl"/> is empty.</summary>
    public string BuiltInUpstreamUrl { get; set; } = "http://127.0.0.1:5091";

    /// <summary>How requests map to checks.</summary>
    public List<RequestRule> Rules { get; set; } = [];
}
