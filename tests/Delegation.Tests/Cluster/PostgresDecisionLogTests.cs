using Delegation.Grains.Audit;
using Delegation.Storage.Postgres;
using Delegation.Tests.Storage;

namespace Delegation.Tests.Cluster;

/// <summary>
/// The decision log contract against PostgreSQL (a database of its own per test), plus what only a shared
/// database shows. Needs <c>DELEGATION_TEST_POSTGRES</c> (see <see cref="PostgresTestServer"/>); fails without it.
/// </summary>
public sealed class PostgresDecisionLogTests : DecisionLogContractTests
{
    private string? _database;
    private string? _connectionString;

    protected override async Task<IDecisionLog> CreateLogAsync()
    {
        (_database, _connectionString) = await PostgresTestServer.CreateDatabaseAsync();
        return new PostgresDecisionLog(_connectionString);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
        {
            await PostgresTestServer.DropDatabaseAsync(_database);
        }
    }

    [Theory]
    [InlineData("%")]
    [InlineData("_")]
    [InlineData("G_AAAAAAAAAAAAAAAA")]
    [InlineData("g_aaaaaaaaaaaaaaa")]
    public async Task A_grant_filter_matches_ids_literally(string grant)
    {
        Assert.Empty((await Log.QueryAsync(new AuditQuery(GrantId: grant))).Items);
        Assert.Empty((await Log.QueryAsync(new AuditQuery(GrantId: grant, Subtree: true))).Items);
    }

    [Fact]
    public async Task Two_logs_on_one_database_see_each_others_entries_and_initialize_once()
    {
        await using var other = new PostgresDecisionLog(_connectionString!);
        await other.InitializeAsync();
        await other.AppendAsync([Made[0] with { Enforcer = "silo-b", Action = "other:silo" }]);

        var page = await Log.QueryAsync(new AuditQuery(Action: "other:silo"));

        Assert.Equal("silo-b", Assert.Single(page.Items).Enforcer);
        Assert.Equal(
            (long)PostgresSchema.LatestVersion,
            await PostgresTestServer.ScalarAsync(_connectionString!, "SELECT COUNT(*) FROM schema_version;"));
    }
}
