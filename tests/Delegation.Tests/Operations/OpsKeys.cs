namespace Delegation.Tests.Operations;

/// <summary>The keys every operations test silo is configured with (at least 16 characters, distinct, none starting with dgt_).</summary>
public static class OpsKeys
{
    /// <summary>The admin key.</summary>
    public const string Admin = "ops-admin-key-5b0e9d41c7a2";

    /// <summary>An issuer (orchestrator) key.</summary>
    public const string Issuer = "ops-issuer-key-83f2a6c90d1e";

    /// <summary>An enforcer (gateway) key.</summary>
    public const string Enforcer = "ops-enforcer-key-2c7d1e8b4f60";

    /// <summary>The silo's name, as written on its decisions.</summary>
    public const string SiloName = "ops-silo";
}
