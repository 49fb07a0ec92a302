namespace Delegation.LoadTest.Reporting;

/// <summary>An axis of an <see cref="SvgChart"/>, in already-transformed coordinates.</summary>
/// <param name="Label">The axis title.</param>
/// <param name="Min">The lowest coordinate shown.</param>
/// <param name="Max">The highest coordinate shown.</param>
/// <param name="Ticks">Grid lines: coordinate and label.</param>
public sealed record ChartAxis(string Label, double Min, double Max, IReadOnlyList<(double Value, string Label)> Ticks);
