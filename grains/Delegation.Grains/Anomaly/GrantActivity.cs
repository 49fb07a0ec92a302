namespace Delegation.Grains.Anomaly;

/// <summary>
/// What the rules know of one grant's recent requests: a few counters and baselines, and the pairs it has asked for.
/// Mutated only on its tree grain's thread.
/// </summary>
internal sealed class GrantActivity
{
    public SlidingCount Decisions;
    public SlidingCount Denies;
    public SlidingCount Requests;
    public Baseline RequestBaseline;
    public SlidingCount Novel;
    public Baseline NovelBaseline;

    public GrantActivity(AnomalySettings settings, long now) => Restart(settings, now);

    /// <summary>Watched since (ticks, the silo's clock): the warm-ups count from it.</summary>
    public long Since { get; private set; }

    /// <summary>
    /// When the grant was last resumed (ticks, the silo's clock; 0 if never): decisions made before it (reported late by
    /// an enforcer) belong to the old baseline and are ignored.
    /// </summary>
    public long IgnoreBefore { get; private set; }

    /// <summary>The last decision seen (ticks), for idle eviction.</summary>
    public long LastSeen { get; set; }

    /// <summary>A suspension was asked for and is not known to have failed: no rule fires again until a restart.</summary>
    public bool Suspending { get; set; }

    /// <summary>The pairs asked for, once the novelty rule needs them.</summary>
    public KnownPairs? Known { get; set; }

    /// <summary>Forgets everything: a fresh baseline from <paramref name="now"/> (a new grant, or one resumed).</summary>
    public void Restart(AnomalySettings settings, long now, bool resumed = false)
    {
        Since = now;
        IgnoreBefore = resumed ? now : 0;
        LastSeen = now;
        Suspending = false;
        Known = null;
        Decisions.Start(now, settings.DenyWindow);
        Denies.Start(now, settings.DenyWindow);
        Requests.Start(now, settings.RateInterval);
        Novel.Start(now, settings.NovelWindow);
        RequestBaseline = default;
        NovelBaseline = default;
    }
}
