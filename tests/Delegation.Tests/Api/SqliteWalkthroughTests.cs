using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Api;

/// <summary>The walkthrough on the SQLite store.</summary>
public sealed class SqliteWalkthroughTests(SqliteSiloFactory silo) : WalkthroughTests(silo), IClassFixture<SqliteSiloFactory>;
