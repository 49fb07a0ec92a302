using Delegation.Grains.Audit;
using Delegation.Storage.Sqlite;

namespace Delegation.Tests.Cluster;

/// <summary>The decision log contract against the SQLite log, in a temporary file.</summary>
public sealed class SqliteDecisionLogTests : DecisionLogContractTests
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("dlg-decisions-");

    protected override Task<IDecisionLog> CreateLogAsync() =>
        Task.FromResult<IDecisionLog>(new SqliteDecisionLog(Path.Combine(_directory.FullName, "decisions.db")));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _directory.Delete(recursive: true);
    }
}
