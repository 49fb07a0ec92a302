namespace Delegation.Grains.Metrics;

/// <summary>
/// The names of the silo's own instruments, in one place: the dashboard listener, the exporters, the Grafana
/// dashboard and the alert rules name them (a Prometheus scrape writes <c>delegation.check.duration</c> in seconds as
/// <c>delegation_check_duration_seconds</c>, and a counter with a <c>_total</c> suffix).
/// </summary>
public static class MetricNames
{
    /// <summary>Checks decided (counter, by <c>decision</c> and <c>reason</c>).</summary>
    public const string Checks = "delegation.checks";

    /// <summary>Time to decide a check (histogram, seconds).</summary>
    public const string CheckDuration = "delegation.check.duration";

    /// <summary>Status changes (counter, by <c>kind</c>: revoke, suspend, resume).</summary>
    public const string StatusChanges = "delegation.status_changes";

    /// <summary>Grants a status change reached (counter, by <c>kind</c>).</summary>
    public const string GrantsAffected = "delegation.grants.affected";

    /// <summary>Grants created (counter, by <c>root</c>).</summary>
    public const string GrantsCreated = "delegation.grants.created";

    /// <summary>Budget units moved through leases (counter, by <c>operation</c>: reserved, spent, released, expired).</summary>
    public const string LeaseUnits = "delegation.lease.units";

    /// <summary>Revocation propagation to every live enforcer (histogram, seconds, by <c>timed_out</c>).</summary>
    public const string Propagation = "delegation.revocation.propagation";

    /// <summary>Event store appends (histogram, seconds, by <c>store</c> and <c>outcome</c>).</summary>
    public const string StoreAppend = "delegation.store.append.duration";

    /// <summary>Grants the anomaly rules suspended (counter, by <c>rule</c>: deny_ratio, rate_spike, novel_resources).</summary>
    public const string AnomalySuspensions = "delegation.anomaly.suspensions";

    /// <summary>Tree grains active in this silo (gauge).</summary>
    public const string TreesActive = "delegation.trees.active";

    /// <summary>Budget leases the tree grains of this silo hold (gauge).</summary>
    public const string LeasesHeld = "delegation.leases.held";

    /// <summary>The feed's head sequence number as this silo last read it (gauge).</summary>
    public const string FeedHead = "delegation.feed.head";

    /// <summary>How late this silo saw the newest feed event after it was appended (gauge, seconds).</summary>
    public const string FeedDelay = "delegation.feed.delay";

    /// <summary>Feed events a live enforcer has not acknowledged (gauge, by <c>enforcer</c>).</summary>
    public const string EnforcerLag = "delegation.enforcer.lag";

    /// <summary>Enforcers with a feed stream open (gauge).</summary>
    public const string EnforcersLive = "delegation.enforcers.live";

    /// <summary>The readiness checks' last results, 1 healthy and 0 not (gauge, by <c>check</c>: store, cluster, feed).</summary>
    public const string Health = "delegation.health";
}
