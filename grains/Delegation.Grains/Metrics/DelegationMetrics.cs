using System.Diagnostics.Metrics;
using Delegation.Grants;

namespace Delegation.Grains.Metrics;

/// <summary>
/// The authority's instruments (System.Diagnostics.Metrics), one set per silo: created on the silo's meter so that
/// the dashboard's listener, and any exporter, reads exactly this silo's numbers. Names and units follow
/// OpenTelemetry's semantic conventions (durations in seconds, counts in <c>{thing}</c>); every tag has a small, fixed
/// set of values, and none ever carries a token, key or grant id.
/// </summary>
public sealed class DelegationMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Delegation";

    private readonly Counter<long> _checks;
    private readonly Histogram<double> _checkDuration;
    private readonly Counter<long> _statusChanges;
    private readonly Counter<long> _grantsAffected;
    private readonly Counter<long> _grantsCreated;
    private readonly Counter<long> _leaseUnits;
    private readonly Histogram<double> _propagation;
    private readonly Histogram<double> _append;
    private readonly Counter<long> _anomalySuspensions;

    /// <summary>Creates the instruments on <paramref name="meter"/>.</summary>
    public DelegationMetrics(Meter meter)
    {
        Meter = meter;
        _checks = meter.CreateCounter<long>(MetricNames.Checks, "{check}", "Checks decided, by decision and reason.");
        _checkDuration = meter.CreateHistogram(MetricNames.CheckDuration, "s", "Time to decide a check in the tree grain.", advice: Buckets.Check);
        _statusChanges = meter.CreateCounter<long>(MetricNames.StatusChanges, "{change}", "Revocations, suspensions and resumptions that changed something, by kind.");
        _grantsAffected = meter.CreateCounter<long>(MetricNames.GrantsAffected, "{grant}", "Grants (with their descendants) a revocation, suspension or resumption reached, by kind.");
        _grantsCreated = meter.CreateCounter<long>(MetricNames.GrantsCreated, "{grant}", "Root grants and delegations created.");
        _leaseUnits = meter.CreateCounter<long>(MetricNames.LeaseUnits, "{unit}", "Budget units moved through leases, by operation: reserved, spent, released, expired (an expired lease counts as spent).");
        _propagation = meter.CreateHistogram(MetricNames.Propagation, "s", "Time until every live enforcer acknowledged a change (revoke?wait=true).", advice: Buckets.Propagation);
        _append = meter.CreateHistogram(MetricNames.StoreAppend, "s", "Time to append a tree's events to the event store, by store and outcome.", advice: Buckets.Store);
        _anomalySuspensions = meter.CreateCounter<long>(MetricNames.AnomalySuspensions, "{grant}", "Grants the anomaly rules suspended, by rule.");
    }

    /// <summary>The meter the instruments live on.</summary>
    public Meter Meter { get; }

    /// <summary>Records one decided check.</summary>
    public void Check(Decision decision, DenyReason reason, TimeSpan duration)
    {
        _checks.Add(1, new KeyValuePair<string, object?>("decision", decision == Decision.Allow ? "allow" : "deny"),
            new KeyValuePair<string, object?>("reason", reason == DenyReason.None ? "none" : ReasonName(reason)));
        _checkDuration.Record(duration.TotalSeconds);
    }

    /// <summary>Records a revoke, suspend or resume that changed something, and how many grants it reached.</summary>
    public void StatusChange(string kind, int affected)
    {
        var tag = new KeyValuePair<string, object?>("kind", kind);
        _statusChanges.Add(1, tag);
        _grantsAffected.Add(affected, tag);
    }

    /// <summary>Records a created grant.</summary>
    public void GrantCreated(bool root) => _grantsCreated.Add(1, new KeyValuePair<string, object?>("root", root ? "true" : "false"));

    /// <summary>Records units reserved, spent or released (<paramref name="operation"/>).</summary>
    public void LeaseUnits(string operation, long units) => _leaseUnits.Add(units, new KeyValuePair<string, object?>("operation", operation));

    /// <summary>Records how long a change took to reach every live enforcer.</summary>
    public void Propagation(TimeSpan elapsed, bool timedOut) =>
        _propagation.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("timed_out", timedOut ? "true" : "false"));

    /// <summary>Records one append to the event store: <paramref name="outcome"/> is <c>ok</c>, <c>conflict</c> or <c>error</c>.</summary>
    public void StoreAppend(string store, string outcome, TimeSpan elapsed) =>
        _append.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("store", store), new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>Records a grant suspended by the anomaly rule <paramref name="rule"/>.</summary>
    public void AnomalySuspension(string rule) => _anomalySuspensions.Add(1, new KeyValuePair<string, object?>("rule", rule));

    private static string ReasonName(DenyReason reason) => reason switch
    {
        DenyReason.UnknownGrant => "unknown_grant",
        DenyReason.InvalidToken => "invalid_token",
        DenyReason.Revoked => "revoked",
        DenyReason.AncestorRevoked => "ancestor_revoked",
        DenyReason.Expired => "expired",
        DenyReason.AncestorExpired => "ancestor_expired",
        DenyReason.Suspended => "suspended",
        DenyReason.AncestorSuspended => "ancestor_suspended",
        DenyReason.ScopeMismatch => "scope_mismatch",
        DenyReason.BudgetExhausted => "budget_exhausted",
        DenyReason.RateLimited => "rate_limited",
        DenyReason.ApprovalRequired => "approval_required",
        _ => "authority_unavailable",
    };

    // Explicit boundaries (OpenTelemetry honours the advice): the SDK's defaults are for milliseconds.
    private static class Buckets
    {
        public static readonly InstrumentAdvice<double> Check = new()
        {
            HistogramBucketBoundaries = [0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
        };

        public static readonly InstrumentAdvice<double> Propagation = new()
        {
            HistogramBucketBoundaries = [0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
        };

        public static readonly InstrumentAdvice<double> Store = new()
        {
            HistogramBucketBoundaries = [0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
        };
    }
}
