namespace Delegation.Client;

/// <summary>
/// Settings of an <see cref="Enforcer"/>, validated when it is created (every failure reported at once) and at
/// start-up in a host (<c>AddDelegationEnforcer</c>).
/// </summary>
public sealed class EnforcerOptions
{
    /// <summary>The default <see cref="MaxStaleness"/>: 2 seconds.</summary>
    public static readonly TimeSpan DefaultMaxStaleness = TimeSpan.FromSeconds(2);

    /// <summary>The default <see cref="CacheCapacity"/>: 100,000 chains.</summary>
    public const int DefaultCacheCapacity = 100_000;

    /// <summary>The default <see cref="LeaseUnits"/>: 16.</summary>
    public const long DefaultLeaseUnits = 16;

    /// <summary>The default <see cref="MaxLeaseUnits"/>: 100,000.</summary>
    public const long DefaultMaxLeaseUnits = 100_000;

    /// <summary>The default <see cref="LeaseLifetime"/>: 30 seconds.</summary>
    public static readonly TimeSpan DefaultLeaseLifetime = TimeSpan.FromSeconds(30);

    /// <summary>The default <see cref="LeaseExpiryMargin"/>: 5 seconds.</summary>
    public static readonly TimeSpan DefaultLeaseExpiryMargin = TimeSpan.FromSeconds(5);

    /// <summary>The default <see cref="IdleSettleAfter"/>: 1 second.</summary>
    public static readonly TimeSpan DefaultIdleSettleAfter = TimeSpan.FromSeconds(1);

    /// <summary>The default <see cref="RequestTimeout"/>: 5 seconds.</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The default <see cref="DecisionReportInterval"/>: 250 milliseconds.</summary>
    public static readonly TimeSpan DefaultDecisionReportInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>The default <see cref="DecisionReportCapacity"/>: 65,536 decisions.</summary>
    public const int DefaultDecisionReportCapacity = 65_536;

    /// <summary>The default <see cref="ReconnectDelay"/>: 100 milliseconds.</summary>
    public static readonly TimeSpan DefaultReconnectDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>The default <see cref="MaxReconnectDelay"/>: 1 second.</summary>
    public static readonly TimeSpan DefaultMaxReconnectDelay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The silos, absolute http or https URLs; at least one. Silos are interchangeable: the feed follows one at a
    /// time and fails over to the next when it breaks; a call that gets no answer is tried at the next one.
    /// </summary>
    /// <summary>How JWT access tokens are accepted (off until <see cref="AccessTokenOptions.Audience"/> is set).</summary>
    public AccessTokenOptions AccessTokens { get; } = new();

    public IList<Uri> SiloUrls { get; set; } = [];

    /// <summary>The enforcer key (or admin key) every call sends, without the <c>Bearer</c> prefix. Required.</summary>
    public string? Credential { get; set; }

    /// <summary>
    /// Builds the transport from the host's services instead of HTTP to <see cref="SiloUrls"/>: set by
    /// <c>UseOrleansCluster</c> (Delegation.Client.Orleans), used when the enforcer is registered with
    /// <c>AddDelegationEnforcer</c> or <c>AddAgentDelegation</c>. Null (the default): HTTP.
    /// </summary>
    public Func<IServiceProvider, EnforcerTransport>? Transport { get; set; }

    /// <summary>
    /// This enforcer's name: it reads the feed and acknowledges under it, and names it as the holder of its budget
    /// leases; the silos list enforcers by it. 1 to 256 characters, no control characters and no leading or trailing
    /// spaces. Default: the host name and the application's name (<c>gw-7/Delegation.SampleGateway</c>), so that a
    /// restarted gateway takes its old name and the silos' list stays bounded. Set it when one host runs several
    /// enforcers of one application (each needs its own name: a revocation waits for each name's acknowledgement).
    /// </summary>
    public string Name { get; set; } = DefaultName();

    /// <summary>
    /// How long the feed may be silent (no event, no heartbeat) before the cache is no longer trusted. Default
    /// 2 seconds. Past it, every check is asked of a silo (<c>POST /v1/check</c>), and when no silo answers the
    /// check is denied with <c>authority_unavailable</c>: the enforcer fails closed. Keep it above the silos'
    /// heartbeat interval (1 second by default).
    /// </summary>
    public TimeSpan MaxStaleness { get; set; } = DefaultMaxStaleness;

    /// <summary>
    /// Most cached entries (one per token or grant id checked, each holding its chain). Default 100,000. Beyond it
    /// the least recently used are evicted (a second-chance clock), so memory stays bounded whatever the traffic.
    /// </summary>
    public int CacheCapacity { get; set; } = DefaultCacheCapacity;

    /// <summary>
    /// Units of the first budget lease taken on a grant (default 16). Later ones adapt to the spending rate: a lease
    /// used up within a second doubles the next, one that lasts more than ten seconds halves it.
    /// </summary>
    public long LeaseUnits { get; set; } = DefaultLeaseUnits;

    /// <summary>Most units one lease may ask for (default 100,000); the silo may grant fewer.</summary>
    public long MaxLeaseUnits { get; set; } = DefaultMaxLeaseUnits;

    /// <summary>
    /// How long a lease lives (default 30 seconds, at most 10 minutes). A lease left unsettled at its end (a crash)
    /// counts as fully spent: units can be stranded, never overspent.
    /// </summary>
    public TimeSpan LeaseLifetime { get; set; } = DefaultLeaseLifetime;

    /// <summary>
    /// A lease is not spent from in its last stretch of life (default 5 seconds), so that its settle reaches the silo
    /// before it ends and clock differences between enforcer and silo do no harm. Less than <see cref="LeaseLifetime"/>.
    /// </summary>
    public TimeSpan LeaseExpiryMargin { get; set; } = DefaultLeaseExpiryMargin;

    /// <summary>A lease not spent from for this long is settled, releasing its units to others (default 1 second).</summary>
    public TimeSpan IdleSettleAfter { get; set; } = DefaultIdleSettleAfter;

    /// <summary>How long one call to a silo may take before the next silo is tried (default 5 seconds).</summary>
    public TimeSpan RequestTimeout { get; set; } = DefaultRequestTimeout;

    /// <summary>Delay before reconnecting the feed after a failed attempt (default 100 ms), doubled per failure.</summary>
    public TimeSpan ReconnectDelay { get; set; } = DefaultReconnectDelay;

    /// <summary>Longest delay between reconnection attempts (default 1 second).</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = DefaultMaxReconnectDelay;

    /// <summary>
    /// Report the decisions this enforcer makes from its cache to the
    /// authority (<c>POST /v1/decisions</c>, or the tree grains over Orleans), in batches every
    /// <see cref="DecisionReportInterval"/>: they go to the decision log and to the anomaly rules, which can suspend a
    /// grant whose agent goes rogue however many enforcers it is spread over. Default false: each reported decision
    /// goes through one queue shared by the checking threads, which cut near-cache hits from 11.1M/s to 2.6M/s on two
    /// cores (load test <c>local</c>), and at gateway rates most reports are dropped anyway; turn it on where the
    /// anomaly rules must see cache decisions and the rate allows. Decisions a silo made are not reported again (nor
    /// the first decision on a chain just fetched); the rules always see those.
    /// </summary>
    public bool ReportDecisions { get; set; }

    /// <summary>
    /// How often decisions are reported (default 250 ms). It bounds how late the anomaly rules learn of a decision
    /// made here, and so how many requests a rogue agent gets allowed through this enforcer before its suspension.
    /// </summary>
    public TimeSpan DecisionReportInterval { get; set; } = DefaultDecisionReportInterval;

    /// <summary>
    /// Decisions held for the next report at most (default 65,536; a power of two is used, at least this). Beyond it
    /// decisions are dropped and counted (<see cref="Enforcer.DroppedDecisionReports"/>), never slowing a check.
    /// </summary>
    public int DecisionReportCapacity { get; set; } = DefaultDecisionReportCapacity;

    private static string DefaultName()
    {
        var application = System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name;
        return string.IsNullOrEmpty(application) ? Environment.MachineName : $"{Environment.MachineName}/{application}";
    }
}
