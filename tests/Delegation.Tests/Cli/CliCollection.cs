namespace Delegation.Tests.Cli;

/// <summary>The CLI tests share one silo process (each test uses its own users and agents).</summary>
[CollectionDefinition(Name)]
public sealed class CliCollection : ICollectionFixture<SiloProcess>
{
    public const string Name = "CLI against a real silo";
}
