namespace Delegation.Tests.Cluster;

/// <summary>
/// The tests that start silo processes run one at a time, after every parallel test: the fault tests stop the
/// shared test server, which no other PostgreSQL test may be using then, and two cores are enough for one cluster.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "cluster";
}
