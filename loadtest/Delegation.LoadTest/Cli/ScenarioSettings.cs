using Delegation.LoadTest.Measurement;

namespace Delegation.LoadTest.Cli;

/// <summary>The options every scenario shares, parsed.</summary>
public sealed record ScenarioSettings(
    string Store,
    Uri? Url,
    string? AdminKey,
    int Concurrency,
    TimeSpan Warmup,
    TimeSpan Duration,
    string Mode,
    double Rate,
    long MaxOperations,
    string OutputDirectory,
    int Slices)
{
    /// <summary>True when closed-loop rows run.</summary>
    public bool RunsClosed => Mode is "closed" or "both";

    /// <summary>True when open-loop rows run.</summary>
    public bool RunsOpen => Mode is "open" or "both";

    /// <summary>A closed-loop plan at <paramref name="concurrency"/> (default: <see cref="Concurrency"/>).</summary>
    public LoadPlan Closed(int? concurrency = null) => new(concurrency ?? Concurrency, Warmup, Duration, null, MaxOperations);

    /// <summary>An open-loop plan at <paramref name="rate"/> per second.</summary>
    public LoadPlan Open(double rate, int? concurrency = null) => new(concurrency ?? Concurrency, Warmup, Duration, rate, MaxOperations);
}
