using Delegation.Grants;

namespace Delegation.Grains.Anomaly;

/// <summary>
/// The anomaly rules for the grants of one tree, in its grain's memory: every
/// decision about a grant of the tree, decided by this grain or reported by an enforcer, passes through
/// <see cref="Observe"/>, which updates a few counters and says whether a rule fired. Nothing here allocates per
/// decision: a grant's <see cref="GrantActivity"/> is made once, and its table of known pairs grows rarely.
/// Grants idle for <see cref="AnomalyOptions.IdleAfter"/> are forgotten. Checks served by the silo from a local
/// activation (<see cref="Trees.LocalTrees"/>) observe from request threads beside the grain's own thread, so every
/// member takes one lock (uncontended in the grain's turns; held for a few counter updates).
/// </summary>
internal sealed class TreeAnomalies(AnomalyTracker tracker)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, GrantActivity> _grants = new(StringComparer.Ordinal);
    private readonly AnomalySettings _settings = tracker.Settings;
    private long _nextSweep;

    /// <summary>Grants tracked in this tree now.</summary>
    public int Tracked => _grants.Count;

    /// <summary>
    /// Counts one decision about <paramref name="grantId"/>, made at <paramref name="decidedAt"/> and seen at
    /// <paramref name="now"/> (both in ticks); true with the finding when a rule fires. Decisions that say nothing of
    /// the agent's behaviour (by their reason, or a gateway's authentication probe), and those made before the grant's watch began (a resume), are ignored. A rule fires once:
    /// then nothing more fires for the grant until it is restarted (resumed) or the suspension is known to have failed.
    /// </summary>
    public bool Observe(string grantId, Decision decision, DenyReason reason, string action, string? resource, long decidedAt, long now, out AnomalyFinding finding)
    {
        finding = default;
        if (!AnomalyReasons.IsBehaviour(decision, reason) || string.Equals(action, ProbeActions.Authenticate, StringComparison.Ordinal))
        {
            return false;
        }

        lock (_gate)
        {
            return ObserveLocked(grantId, decision, reason, action, resource, decidedAt, now, out finding);
        }
    }

    /// <summary>The grant was resumed (or its suspension failed): a fresh baseline from <paramref name="now"/>.</summary>
    public void Restart(string grantId, long now)
    {
        lock (_gate)
        {
            RestartLocked(grantId, now);
        }
    }

    /// <summary>The suspension asked for could not be written: the rules may fire again.</summary>
    public void Failed(string grantId)
    {
        lock (_gate)
        {
            if (_grants.TryGetValue(grantId, out var activity))
            {
                activity.Suspending = false;
            }
        }
    }

    /// <summary>Forgets every grant (the grain is deactivating).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            tracker.Release(_grants.Count);
            _grants.Clear();
        }
    }

    private bool ObserveLocked(string grantId, Decision decision, DenyReason reason, string action, string? resource, long decidedAt, long now, out AnomalyFinding finding)
    {
        finding = default;
        Sweep(now);
        if (!_grants.TryGetValue(grantId, out var activity))
        {
            if (!tracker.TryTrack())
            {
                return false;
            }

            activity = new GrantActivity(_settings, now);
            _grants.Add(grantId, activity);
        }

        if (decidedAt < activity.IgnoreBefore)
        {
            return false;
        }

        activity.LastSeen = now;
        Tally(activity, decision, reason, action, resource, now);
        if (activity.Suspending || !Fires(activity, now, out finding))
        {
            return false;
        }

        activity.Suspending = true;
        tracker.Suspended();
        return true;
    }

    private void RestartLocked(string grantId, long now)
    {
        if (_grants.TryGetValue(grantId, out var activity))
        {
            activity.Restart(_settings, now, resumed: true);
        }
        else if (tracker.TryTrack())
        {
            activity = new GrantActivity(_settings, now);
            activity.Restart(_settings, now, resumed: true);
            _grants.Add(grantId, activity);
        }
    }

    private void Tally(GrantActivity activity, Decision decision, DenyReason reason, string action, string? resource, long now)
    {
        var options = _settings.Options;
        if (options.DenyRatio.Enabled)
        {
            activity.Decisions.Advance(now, _settings.DenyWindow, out _, out _);
            activity.Denies.Advance(now, _settings.DenyWindow, out _, out _);
            activity.Decisions.Add(1);
            if (decision == Decision.Deny && (_settings.DeniesCounted & (1u << (int)reason)) != 0)
            {
                activity.Denies.Add(1);
            }
        }

        if (options.RateSpike.Enabled)
        {
            if (activity.Requests.Advance(now, _settings.RateInterval, out var completed, out var empty))
            {
                activity.RequestBaseline.Fold(completed, empty, _settings.RateAlpha);
            }

            activity.Requests.Add(1);
        }

        if (options.NovelResources.Enabled)
        {
            if (activity.Novel.Advance(now, _settings.NovelWindow, out var completed, out var empty))
            {
                activity.NovelBaseline.Fold(completed, empty, _settings.NovelAlpha);
            }

            activity.Known ??= new KnownPairs(options.MaxKnownResources);
            if (activity.Known.Add(KnownPairs.Fingerprint(action, resource)))
            {
                activity.Novel.Add(1);
            }
        }
    }

    private bool Fires(GrantActivity activity, long now, out AnomalyFinding finding)
    {
        var options = _settings.Options;
        finding = default;
        if (options.DenyRatio.Enabled)
        {
            var decisions = activity.Decisions.Estimate(now, _settings.DenyWindow);
            var ratio = decisions <= 0 ? 0 : activity.Denies.Estimate(now, _settings.DenyWindow) / decisions;
            if (decisions >= options.DenyRatio.MinDecisions && ratio >= options.DenyRatio.Ratio)
            {
                finding = new AnomalyFinding(DenyRatioRule.Name, ratio, options.DenyRatio.Ratio, options.DenyRatio.Window);
                return true;
            }
        }

        if (options.RateSpike.Enabled && now - activity.Since >= options.RateSpike.Warmup.Ticks)
        {
            var requests = activity.Requests.Estimate(now, _settings.RateInterval);
            var threshold = Math.Max(options.RateSpike.MinRequests, options.RateSpike.Factor * activity.RequestBaseline.Value);
            if (requests > threshold)
            {
                finding = new AnomalyFinding(RateSpikeRule.Name, requests, threshold, options.RateSpike.Interval);
                return true;
            }
        }

        if (options.NovelResources.Enabled && now - activity.Since >= options.NovelResources.Warmup.Ticks)
        {
            var novel = activity.Novel.Estimate(now, _settings.NovelWindow);
            var threshold = Math.Max(options.NovelResources.MaxNew, options.NovelResources.Factor * activity.NovelBaseline.Value);
            if (novel > threshold)
            {
                finding = new AnomalyFinding(NovelResourcesRule.Name, novel, threshold, options.NovelResources.Window);
                return true;
            }
        }

        return false;
    }

    // Forgets grants idle for IdleAfter; looks at most every quarter of it, so the cost is spread thin.
    private void Sweep(long now)
    {
        if (now < _nextSweep)
        {
            return;
        }

        var idleAfter = _settings.Options.IdleAfter.Ticks;
        _nextSweep = now + Math.Max(1, idleAfter / 4);
        var forgotten = 0;
        foreach (var (grantId, activity) in _grants)
        {
            if (now - activity.LastSeen >= idleAfter)
            {
                _grants.Remove(grantId);
                forgotten++;
            }
        }

        tracker.Release(forgotten);
    }
}
