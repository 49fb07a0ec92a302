namespace Delegation.LoadTest.Measurement;

/// <summary>One point of a latency percentile spectrum.</summary>
public readonly record struct SpectrumPoint(double Percentile, long Nanos);
