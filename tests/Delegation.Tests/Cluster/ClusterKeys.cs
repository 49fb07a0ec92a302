namespace Delegation.Tests.Cluster;

/// <summary>The keys every test silo of a cluster is configured with.</summary>
internal static class ClusterKeys
{
    public const string Admin = "cluster-admin-key-0123456789";

    public const string Enforcer = "cluster-enforcer-key-0123456789";
}
