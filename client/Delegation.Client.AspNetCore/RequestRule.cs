namespace Delegation.Client.AspNetCore;

/// <summary>
/// Maps requests to what the agent is asking for. <see cref="Path"/> is a route template
/// (<c>/projects/{project}/tickets/{id}</c>); <see cref="Resource"/> may use its values
/// (<c>projects/{project}/tickets/{id}</c>).
/// </summary>
public sealed class RequestRule
{
    /// <summary>HTTP method, or <c>*</c> for any (default).</summary>
    public string Method { get; set; } = "*";

    /// <summary>A route template matched against the request path.</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>The action checked, e.g. <c>tickets:read</c>.</summary>
    public string Action { get; set; } = string.Empty;

    /// <summary>The resource checked, a template over the route values; null for none.</summary>
    public string? Resource { get; set; }

    /// <summary>Budget units a request costs (default 0).</summary>
    public long Cost { get; set; }
}
