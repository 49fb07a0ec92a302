namespace Delegation.Tests.Cluster;

/// <summary>
/// What the silos of one cluster test keep their events on and form their Orleans cluster on, as the environment
/// variables of each silo process. Every silo of a test gets the same one; the Orleans cluster id is the test's own.
/// </summary>
public sealed class ClusterStore
{
    private ClusterStore(IReadOnlyDictionary<string, string> environment) => Environment = environment;

    /// <summary>The environment variables that select the store, the membership and the cluster id.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>
    /// The PostgreSQL store on <paramref name="connectionString"/>, with Redis membership on the shared test server
    /// (<see cref="RedisTestServer"/>) and the database's name as the cluster id.
    /// </summary>
    public static ClusterStore Postgres(string connectionString) => new(new Dictionary<string, string>
    {
        ["Delegation__Store"] = "postgres",
        ["ConnectionStrings__Postgres"] = connectionString,
        ["Delegation__Cluster"] = "redis",
        ["ConnectionStrings__Redis"] = RedisTestServer.Endpoint,
        ["Delegation__Orleans__ClusterId"] = new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database ?? "delegation",
    });

    /// <summary>
    /// Everything on the one Redis at <paramref name="endpoint"/> (<c>host:port</c>): the events and feed, the decision
    /// log, the enforcer registry and the Orleans membership of cluster <paramref name="clusterId"/>.
    /// </summary>
    public static ClusterStore Redis(string endpoint, string clusterId) => new(new Dictionary<string, string>
    {
        ["Delegation__Store"] = "redis",
        ["Delegation__Cluster"] = "redis",
        ["ConnectionStrings__Redis"] = endpoint,
        ["Delegation__Orleans__ClusterId"] = clusterId,
    });
}
