namespace Delegation.Silo.Security;

/// <summary>Who is calling, by the credential presented.</summary>
public enum CallerRole
{
    /// <summary>The operator's admin key: may do everything.</summary>
    Admin,

    /// <summary>An orchestrator's issuer key: creates, reads and revokes grants.</summary>
    Issuer,

    /// <summary>An enforcement point's key: checks, reads the feed and grants, takes leases.</summary>
    Enforcer,

    /// <summary>An agent presenting its grant token: acts on its own grant and the subtree under it.</summary>
    Holder,

    /// <summary>A metrics key (Prometheus' scrape credential): reads <c>/metrics</c> and nothing else.</summary>
    Metrics,
}
