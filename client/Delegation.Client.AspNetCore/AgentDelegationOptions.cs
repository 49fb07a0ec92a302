namespace Delegation.Client.AspNetCore;

/// <summary>How a gateway maps requests to checks and answers denies.</summary>
public sealed class AgentDelegationOptions
{
    /// <summary>Rules tried in order by <c>UseAgentDelegation()</c>; the first whose method and path match decides.</summary>
    public IList<RequestRule> Rules { get; } = [];

    /// <summary>
    /// What to do with a request no rule matches when the middleware is used: deny it (default, 403) so that an
    /// unmapped route never slips through, or let it pass.
    /// </summary>
    public bool DenyUnmatched { get; set; } = true;

    /// <summary>The realm named in <c>WWW-Authenticate</c> (default <c>delegation</c>).</summary>
    public string Realm { get; set; } = "delegation";

    /// <summary>
    /// Where this resource's RFC 9728 protected-resource metadata is served, or null (default) for none. When set,
    /// every Bearer challenge names it (<c>resource_metadata="..."</c>, RFC 9728 section 5.1), so that an OAuth
    /// client, an MCP client for instance, can find the authorization server that issues tokens for this resource.
    /// </summary>
    public Uri? ResourceMetadataUrl { get; set; }

    /// <summary>
    /// Whether grant tokens (<c>dgt_...</c>) are accepted beside JWT access tokens (default true). A grant token names
    /// no audience: whoever receives one can present it to every enforcement point. A resource server that must accept
    /// only tokens issued for it (an MCP server: MCP authorization, RFC 8707) sets this to false and the enforcer's
    /// <c>AccessTokens.Audience</c> to its canonical URI; a grant token is then refused with 401 <c>invalid_token</c>,
    /// and its holder exchanges it at the authority's token endpoint (RFC 8693, <c>resource</c> = this server).
    /// </summary>
    public bool AcceptGrantTokens { get; set; } = true;
}
