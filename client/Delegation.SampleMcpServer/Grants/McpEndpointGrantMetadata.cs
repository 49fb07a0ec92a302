namespace Delegation.SampleMcpServer.Grants;

/// <summary>
/// Endpoint metadata on the MCP endpoints (<c>MapMcp(...).WithMetadata(...)</c>): <see cref="McpGrantMiddleware"/>
/// checks every request routed to an endpoint that carries it, whatever path or method reached it.
/// </summary>
public sealed class McpEndpointGrantMetadata
{
    /// <summary>The one instance.</summary>
    public static McpEndpointGrantMetadata Instance { get; } = new();

    private McpEndpointGrantMetadata()
    {
    }
}
