namespace Delegation.Grants;

/// <summary>Actions with a meaning of their own to the authority.</summary>
public static class ProbeActions
{
    /// <summary>
    /// What a gateway checks to learn whether a token is good and its grant in force without asking to do anything
    /// (an MCP server authenticating a session, for instance): any answer past the token and the chain's status
    /// (allowed, or denied for the scope) means yes. Such checks say nothing of the agent's behaviour, so the anomaly
    /// rules never count them.
    /// </summary>
    public const string Authenticate = "delegation:authenticate";
}
