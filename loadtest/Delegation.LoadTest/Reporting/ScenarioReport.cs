using Delegation.LoadTest.Measurement;

namespace Delegation.LoadTest.Reporting;

/// <summary>Everything one scenario run found: what ran, the measured rows, derived facts and notes.</summary>
public sealed class ScenarioReport
{
    /// <summary>The scenario's command name, e.g. "remote".</summary>
    public required string Scenario { get; init; }

    /// <summary>A one-line title.</summary>
    public required string Title { get; init; }

    /// <summary>The exact command that produced it.</summary>
    public required string Command { get; init; }

    /// <summary>When it started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>The machine it ran on.</summary>
    public required MachineInfo Machine { get; init; }

    /// <summary>Settings that shaped it (store, sizes, durations).</summary>
    public Dictionary<string, string> Settings { get; init; } = [];

    /// <summary>Measured rows, baselines first.</summary>
    public List<MeasurementResult> Measurements { get; init; } = [];

    /// <summary>Single figures: bytes per grant, propagation percentiles, audit results.</summary>
    public List<Fact> Facts { get; init; } = [];

    /// <summary>Cumulative distributions to chart (e.g. propagation to each enforcer).</summary>
    public List<CdfSeries> Distributions { get; init; } = [];

    /// <summary>What a reader must know to read the figures right.</summary>
    public List<string> Notes { get; init; } = [];

    /// <summary>Wall-clock seconds the whole scenario took.</summary>
    public double Seconds { get; set; }
}
