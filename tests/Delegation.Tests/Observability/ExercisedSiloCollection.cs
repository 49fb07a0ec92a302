namespace Delegation.Tests.Observability;

/// <summary>
/// The tests that read a silo's metrics or spans, sharing one <see cref="ExercisedSilo"/>. They run alone, after the
/// parallel collections: OpenTelemetry's meter and tracer providers listen to meters and activity sources by name,
/// process-wide, so another in-process silo's measurements (its <c>Delegation</c> meter, its gauges) would land in
/// this silo's scrape. One silo per process, as deployed, has no such neighbour.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ExercisedSiloCollection : ICollectionFixture<ExercisedSilo>
{
    public const string Name = "Exercised silo";
}
