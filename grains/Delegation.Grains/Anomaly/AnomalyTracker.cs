namespace Delegation.Grains.Anomaly;

/// <summary>
/// What a silo's tree grains share for anomaly detection: the compiled rules and the count of grants tracked in the
/// silo, kept under <see cref="AnomalyOptions.MaxTrackedGrants"/>. Each tree grain keeps its own grants' activity
/// (<see cref="TreeAnomalies"/>); this only counts.
/// </summary>
public sealed class AnomalyTracker
{
    private long _tracked;
    private long _untracked;
    private long _suspensions;

    /// <summary>Creates the tracker for <paramref name="options"/> (validated at start by the silo).</summary>
    public AnomalyTracker(AnomalyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Settings = new AnomalySettings(options);
    }

    /// <summary>Grants tracked in this silo now.</summary>
    public long Tracked => Interlocked.Read(ref _tracked);

    /// <summary>Times a grant was not tracked because the silo was at its cap.</summary>
    public long Untracked => Interlocked.Read(ref _untracked);

    /// <summary>Suspensions the rules asked for in this silo.</summary>
    public long Suspensions => Interlocked.Read(ref _suspensions);

    internal AnomalySettings Settings { get; }

    internal bool TryTrack()
    {
        if (Interlocked.Increment(ref _tracked) <= Settings.Options.MaxTrackedGrants)
        {
            return true;
        }

        Interlocked.Decrement(ref _tracked);
        Interlocked.Increment(ref _untracked);
        return false;
    }

    internal void Release(int grants) => Interlocked.Add(ref _tracked, -grants);

    internal void Suspended() => Interlocked.Increment(ref _suspensions);
}
