namespace Delegation.Grains.Anomaly;

/// <summary>An exponentially weighted moving average of counts per window: a grant's own recent normal.</summary>
internal struct Baseline
{
    /// <summary>The average count per window.</summary>
    public double Value { get; private set; }

    /// <summary>The weight of one window for a half-life of <paramref name="halfLife"/> windows' worth of <paramref name="window"/>.</summary>
    public static double Alpha(TimeSpan window, TimeSpan halfLife) => 1 - Math.Pow(2, -window.TotalMilliseconds / halfLife.TotalMilliseconds);

    /// <summary>Folds in a closed window's count and then <paramref name="emptyAfter"/> empty windows.</summary>
    public void Fold(double completed, long emptyAfter, double alpha)
    {
        Value += alpha * (completed - Value);
        if (emptyAfter > 0)
        {
            Value *= Math.Pow(1 - alpha, Math.Min(emptyAfter, 1_000_000));
        }
    }
}
