namespace Delegation.LoadTest.Reporting;

/// <summary>Samples of one quantity (in milliseconds) to plot as a cumulative distribution.</summary>
public sealed record CdfSeries(string Name, IReadOnlyList<double> Milliseconds);
