namespace Delegation.Grains.Anomaly;

/// <summary><see cref="AnomalyOptions"/> compiled for the hot path: windows in ticks, reasons as a bit mask.</summary>
internal sealed class AnomalySettings
{
    public AnomalySettings(AnomalyOptions options)
    {
        Options = options;
        DenyWindow = Math.Max(1, options.DenyRatio.Window.Ticks);
        RateInterval = Math.Max(1, options.RateSpike.Interval.Ticks);
        NovelWindow = Math.Max(1, options.NovelResources.Window.Ticks);
        RateAlpha = Baseline.Alpha(options.RateSpike.Interval, options.RateSpike.BaselineHalfLife);
        NovelAlpha = Baseline.Alpha(options.NovelResources.Window, options.NovelResources.BaselineHalfLife);
        foreach (var reason in options.DenyRatio.CountedReasons)
        {
            if (AnomalyReasons.TryParse(reason, out var parsed))
            {
                DeniesCounted |= 1u << (int)parsed;
            }
        }
    }

    public AnomalyOptions Options { get; }

    public long DenyWindow { get; }

    public long RateInterval { get; }

    public long NovelWindow { get; }

    public double RateAlpha { get; }

    public double NovelAlpha { get; }

    /// <summary>Bit <c>(int)reason</c> set for each deny reason <see cref="DenyRatioRule"/> counts.</summary>
    public uint DeniesCounted { get; }
}
