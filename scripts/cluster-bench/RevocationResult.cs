namespace ClusterBench;

/// <summary>The samples of a revocation phase and how long it ran.</summary>
internal sealed record RevocationResult(IReadOnlyList<RevocationSample> Samples, TimeSpan Elapsed)
{
    /// <summary>The nearest-rank percentile <paramref name="p"/> (0 to 100) of <paramref name="of"/> over the samples, in milliseconds.</summary>
    public double Percentile(Func<RevocationSample, TimeSpan> of, double p)
    {
        var sorted = Samples.Select(of).Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)].TotalMilliseconds;
    }
}
