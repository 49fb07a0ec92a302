namespace Delegation.Tests.Infrastructure;

/// <summary>The keys every test silo is configured with (at least 16 characters, distinct, none starting with dgt_).</summary>
public static class TestKeys
{
    /// <summary>The admin key, unless a test asks the silo to provision its own.</summary>
    public const string Admin = "test-admin-key-6d1f0c2a9b";

    /// <summary>An issuer (orchestrator) key.</summary>
    public const string Issuer = "test-issuer-key-4e8a7b3c51";

    /// <summary>An enforcer (gateway) key.</summary>
    public const string Enforcer = "test-enforcer-key-92c5d7e0f3";
}
