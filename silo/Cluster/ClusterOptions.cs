namespace Delegation.Silo.Cluster;

/// <summary>
/// Settings of a silo that shares its store with other silos (<c>Delegation:Store=postgres</c>), bound from
/// <c>Delegation:Cluster</c> (env: <c>Delegation__Cluster__MaxStaleness=00:00:03</c>).
/// </summary>
public sealed class ClusterOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "Delegation:Cluster";

    /// <summary>
    /// A silo whose feed tailer has not caught up with the shared store for this long refuses checks with 503
    /// <c>authority_unavailable</c> rather than answer from state another silo may have changed (default 3 seconds;
    /// the tailer reaches the head at least once a second while the store answers).
    /// </summary>
    public TimeSpan MaxStaleness { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How often the silo refreshes its enforcers' liveness in the shared registry (default 1 second).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// An enforcer stream whose silo has not refreshed it for this long stops counting as live, so a dead silo's
    /// enforcers stop being waited for (default 5 seconds; at least twice <see cref="HeartbeatInterval"/>).
    /// </summary>
    public TimeSpan EnforcerLivenessTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a <c>revoke?wait=true</c> reads acknowledgements again when no notification came (default 250 ms).</summary>
    public TimeSpan AckPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);
}
