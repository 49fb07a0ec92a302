namespace Delegation.Silo.Feed;

/// <summary>
/// Settings of the enforcer registry that silos sharing a store share (<c>Delegation:Store=postgres</c>), bound
/// from <c>Delegation:Enforcers</c> (env: <c>Delegation__Enforcers__HeartbeatInterval=00:00:01</c>).
/// </summary>
public sealed class EnforcerRegistryOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "Delegation:Enforcers";

    /// <summary>How often the silo refreshes its enforcers' liveness in the shared registry (default 1 second).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// An enforcer stream whose silo has not refreshed it for this long stops counting as live, so a dead silo's
    /// enforcers stop being waited for (default 5 seconds; at least twice <see cref="HeartbeatInterval"/>).
    /// </summary>
    public TimeSpan EnforcerLivenessTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Most named feed streams one key may hold open on one silo at once (default 100): a leaked or hostile enforcer
    /// key cannot grow the registry or the silo's memory without bound. A stream past it is refused with 409
    /// <c>too_many_feed_streams</c>.
    /// </summary>
    public int MaxStreamsPerKey { get; set; } = 100;

    /// <summary>
    /// An enforcer name with no feed stream open for this long is forgotten, with its acknowledged position (default 1
    /// hour), so names that come and go do not grow the registry or <c>/v1/stats</c> without bound. One key holds at
    /// most <see cref="MaxStreamsPerKey"/> names at once; what it held before is forgotten after this.
    /// </summary>
    public TimeSpan ForgetAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often a <c>revoke?wait=true</c> reads acknowledgements again when no notification came (default 250 ms).</summary>
    public TimeSpan AckPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);
}
