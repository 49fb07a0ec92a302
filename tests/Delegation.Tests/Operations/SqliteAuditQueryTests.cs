using Delegation.Api;

namespace Delegation.Tests.Operations;

/// <summary>The audit query contract against the SQLite decision log, plus what only a file can show.</summary>
public sealed class SqliteAuditQueryTests(SqliteAuditScenario shared) : AuditQueryTests<SqliteAuditScenario>(shared)
{
    [Fact]
    public async Task Decisions_survive_a_silo_restart_on_the_same_data_directory()
    {
        await using var scenario = await StartAsync();
        var before = await ExportAsync(scenario.Silo, string.Empty);
        await scenario.Silo.DisposeAsync();

        await using var restarted = scenario.CreateSilo();
        var after = await restarted.GetJsonAsync("/v1/audit?limit=1000", OpsKeys.Issuer, DelegationJsonContext.Default.AuditPage);
        var subtree = await restarted.GetJsonAsync(
            $"/v1/audit?grant={scenario.RootA}&subtree=true&limit=1000", OpsKeys.Issuer, DelegationJsonContext.Default.AuditPage);

        Assert.Equal(scenario.Made.Count, before.Count);
        Assert.Equal(before.Count, after.Items.Count);
        foreach (var (expected, actual) in before.Zip(after.Items))
        {
            Assert.Equal(expected.Chain, actual.Chain);
            Assert.Equal(expected with { Chain = actual.Chain }, actual);
        }

        Assert.Equal(scenario.Made.Count(c => c.Chain.Contains(scenario.RootA)), subtree.Items.Count);
    }
}
