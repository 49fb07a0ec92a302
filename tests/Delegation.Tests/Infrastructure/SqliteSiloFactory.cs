namespace Delegation.Tests.Infrastructure;

/// <summary>A <see cref="SiloFactory"/> on the SQLite store, in a temporary directory of its own.</summary>
public sealed class SqliteSiloFactory : SiloFactory
{
    /// <summary>Creates the factory.</summary>
    public SqliteSiloFactory()
        : base(new SiloFactoryOptions { Store = "sqlite" })
    {
    }
}
