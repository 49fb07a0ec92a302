namespace Delegation.Tests.Observability;

/// <summary>The tests that share one <see cref="ExercisedSilo"/>.</summary>
[CollectionDefinition(Name)]
public sealed class ExercisedSiloCollection : ICollectionFixture<ExercisedSilo>
{
    public const string Name = "Exercised silo";
}
