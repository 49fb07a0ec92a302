namespace Delegation.Silo.Configuration;

/// <summary>The silo's settings, bound from the <c>Delegation</c> configuration section (env: <c>Delegation__Store</c>).</summary>
public sealed class DelegationOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "Delegation";

    /// <summary><c>sqlite</c> (default: a file under <see cref="DataDir"/>), <c>postgres</c>, or <c>memory</c> (tests and demos; lost on exit).</summary>
    public string Store { get; set; } = "sqlite";

    /// <summary>The value of <see cref="Cluster"/> for one silo with Orleans' loopback membership (the default).</summary>
    public const string LocalhostCluster = "localhost";

    /// <summary>The value of <see cref="Cluster"/> for a cluster whose Orleans membership is on <c>ConnectionStrings:Redis</c>.</summary>
    public const string RedisCluster = "redis";

    /// <summary>
    /// <c>localhost</c> (default: one silo, Orleans membership on loopback, no server) or <c>redis</c> (Orleans
    /// membership on <c>ConnectionStrings:Redis</c>: several silos, one activation per tree across them).
    /// </summary>
    public string Cluster { get; set; } = LocalhostCluster;

    /// <summary>Where the SQLite file and a generated admin key live (default <c>./data</c>).</summary>
    public string DataDir { get; set; } = "data";

    /// <summary>The admin key. When empty, one is generated, printed once and written to <c>&lt;DataDir&gt;/admin.key</c>.</summary>
    public string? AdminKey { get; set; }

    /// <summary>Keys of orchestrators that create and revoke grants.</summary>
    public List<string> IssuerKeys { get; set; } = [];

    /// <summary>Keys of enforcement points that check, read the feed and take leases.</summary>
    public List<string> EnforcerKeys { get; set; } = [];

    /// <summary>Keys that may read the Prometheus scrape endpoint <c>/metrics</c> and nothing else.</summary>
    public List<string> MetricsKeys { get; set; } = [];

    /// <summary>Largest request body accepted, in bytes (default 64 KiB).</summary>
    public int MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>How often the feed sends a heartbeat when nothing happens (default 1 second).</summary>
    public TimeSpan FeedHeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>This silo's name on the leases it holds (default: the machine name and process id).</summary>
    public string? SiloName { get; set; }
}
