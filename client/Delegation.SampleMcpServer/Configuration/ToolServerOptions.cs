namespace Delegation.SampleMcpServer.Configuration;

/// <summary>
/// The sample MCP server's settings (section <c>McpServer</c>). What each tool asks of the agent's grant is declared on
/// the tool itself (<see cref="Grants.ToolGrantAttribute"/>).
/// </summary>
public sealed class ToolServerOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "McpServer";

    /// <summary>
    /// The server's canonical URI (MCP authorization, RFC 8707): the MCP endpoint's absolute URL, which is the audience
    /// a token must be issued for and the <c>resource</c> of its protected-resource metadata. Its path is where the MCP
    /// endpoint is mapped. Default <c>http://localhost:5086/mcp</c>.
    /// </summary>
    public string ResourceUri { get; set; } = "http://localhost:5086/mcp";

    /// <summary>The silo (or silos, comma-separated) the enforcer asks and follows. Default <c>http://localhost:5080</c>.</summary>
    public string SiloUrl { get; set; } = "http://localhost:5080";

    /// <summary>An enforcer (or admin) key of the silo. Required.</summary>
    public string EnforcerKey { get; set; } = string.Empty;

    /// <summary>The enforcer's name (the silo counts acknowledgements by it); empty for the enforcer's default.</summary>
    public string EnforcerName { get; set; } = string.Empty;

    /// <summary>
    /// The authorization server that issues tokens for this server, named in its protected-resource metadata; empty
    /// (default) for the first of <see cref="SiloUrl"/> (the silo serves the OAuth endpoints).
    /// </summary>
    public string AuthorizationServer { get; set; } = string.Empty;

    /// <summary>
    /// The payments API that <c>send_payment</c> calls (an upstream that knows nothing of agents or grants). Default
    /// <c>http://127.0.0.1:5092/</c>, where <see cref="BuiltInPaymentsUrl"/> runs the demo one.
    /// </summary>
    public string PaymentsUrl { get; set; } = "http://127.0.0.1:5092/";

    /// <summary>Where to run the built-in demo payments API (<see cref="Tools.DemoPaymentsApi"/>), a loopback http URL; empty runs none.</summary>
    public string BuiltInPaymentsUrl { get; set; } = string.Empty;

    /// <summary>The silo URLs of <see cref="SiloUrl"/>.</summary>
    public IEnumerable<string> SiloUrls() =>
        SiloUrl.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The authorization server's issuer URL: <see cref="AuthorizationServer"/> or the first silo.</summary>
    public string Issuer() =>
        (string.IsNullOrWhiteSpace(AuthorizationServer) ? SiloUrls().FirstOrDefault() ?? string.Empty : AuthorizationServer.Trim()).TrimEnd('/');
}
