namespace Delegation.Grains.Anomaly;

/// <summary>
/// An exponentially weighted moving average of counts per window: a grant's own recent normal. It starts from nothing,
/// so it is divided by the weight the windows seen so far carry (as Adam corrects its moments): after a 30 s warm-up
/// with a 1 minute half-life the plain average would be 30 % of the true rate, the corrected one is the rate.
/// </summary>
internal struct Baseline
{
    private double _sum;
    private double _weight;

    /// <summary>The average count per window (0 before any window closed).</summary>
    public readonly double Value => _weight > 0 ? _sum / _weight : 0;

    /// <summary>The weight of one window for a half-life of <paramref name="halfLife"/> windows' worth of <paramref name="window"/>.</summary>
    public static double Alpha(TimeSpan window, TimeSpan halfLife) => 1 - Math.Pow(2, -window.TotalMilliseconds / halfLife.TotalMilliseconds);

    /// <summary>Folds in a closed window's count and then <paramref name="emptyAfter"/> empty windows.</summary>
    public void Fold(double completed, long emptyAfter, double alpha)
    {
        _sum += alpha * (completed - _sum);
        _weight += alpha * (1 - _weight);
        if (emptyAfter > 0)
        {
            var keep = Math.Pow(1 - alpha, Math.Min(emptyAfter, 1_000_000));
            _sum *= keep;
            _weight = 1 - ((1 - _weight) * keep);
        }
    }
}
