namespace Delegation.Silo.Security;

/// <summary>An authenticated caller. <see cref="GrantId"/> is set for holders only.</summary>
public sealed record Caller(CallerRole Role, string? GrantId = null)
{
    /// <summary>How events record this caller as the actor: never the credential itself.</summary>
    public string Actor => Role switch
    {
        CallerRole.Admin => "admin",
        CallerRole.Issuer => "issuer",
        CallerRole.Enforcer => "enforcer",
        CallerRole.Metrics => "metrics",
        _ => "grant:" + GrantId,
    };
}
