using System.Diagnostics.Metrics;
using Delegation.Grants;

namespace Delegation.Grains.Metrics;

/// <summary>
/// The authority's instruments (System.Diagnostics.Metrics), one set per silo: created on the silo's meter so that
/// the dashboard's listener, and any exporter, reads exactly this silo's numbers.
/// </summary>
public sealed class DelegationMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Delegation";

    private readonly Counter<long> _checks;
    private readonly Histogram<double> _checkDuration;
    private readonly Counter<long> _statusChanges;
    private readonly Counter<long> _grantsCreated;
    private readonly Counter<long> _leaseUnits;
    private readonly Histogram<double> _propagation;

    /// <summary>Creates the instruments on <paramref name="meter"/>.</summary>
    public DelegationMetrics(Meter meter)
    {
        Meter = meter;
        _checks = meter.CreateCounter<long>("delegation.checks", "{check}", "Checks decided, by decision and reason.");
        _checkDuration = meter.CreateHistogram<double>("delegation.check.duration", "us", "Time to decide a check.");
        _statusChanges = meter.CreateCounter<long>("delegation.status_changes", "{change}", "Revocations, suspensions and resumptions, by kind.");
        _grantsCreated = meter.CreateCounter<long>("delegation.grants.created", "{grant}", "Root grants and delegations created.");
        _leaseUnits = meter.CreateCounter<long>("delegation.lease.units", "{unit}", "Budget units reserved and settled through leases, by operation.");
        _propagation = meter.CreateHistogram<double>("delegation.revocation.propagation", "ms", "Time until every live enforcer acknowledged a change.");
    }

    /// <summary>The meter the instruments live on.</summary>
    public Meter Meter { get; }

    /// <summary>Records one decided check.</summary>
    public void Check(Decision decision, DenyReason reason, TimeSpan duration)
    {
        _checks.Add(1, new KeyValuePair<string, object?>("decision", decision == Decision.Allow ? "allow" : "deny"),
            new KeyValuePair<string, object?>("reason", reason == DenyReason.None ? null : ReasonName(reason)));
        _checkDuration.Record(duration.TotalMicroseconds);
    }

    /// <summary>Records a revoke, suspend or resume that changed something.</summary>
    public void StatusChange(string kind, int affected) =>
        _statusChanges.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("affected", affected));

    /// <summary>Records a created grant.</summary>
    public void GrantCreated(bool root) => _grantsCreated.Add(1, new KeyValuePair<string, object?>("root", root));

    /// <summary>Records units reserved or settled.</summary>
    public void LeaseUnits(string operation, long units) => _leaseUnits.Add(units, new KeyValuePair<string, object?>("operation", operation));

    /// <summary>Records how long a change took to reach every live enforcer.</summary>
    public void Propagation(TimeSpan elapsed, bool timedOut) =>
        _propagation.Record(elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("timed_out", timedOut));

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
        _ => "authority_unavailable",
    };
}
