using Delegation.Client;
using Delegation.Grants;
using Delegation.Tests.Api;
using Delegation.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Delegation.Tests.Process;

/// <summary>The real silo process with no configuration at all: it starts, makes its admin key, keeps its data.</summary>
public sealed class StartupTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_silo_starts_with_no_configuration_and_a_restart_keeps_its_key_and_its_data()
    {
        using var workDir = new TempDirectory("process-start");
        var keyPath = Path.Combine(workDir.Path, "data", "admin.key");
        string key, grantId;

        await using (var silo = await SiloProcess.StartAsync(workDir.Path, log: output))
        {
            output.WriteLine($"Start-up with no configuration took {silo.StartupTime.TotalMilliseconds:F0} ms (logged, not asserted).");
            Assert.True(File.Exists(keyPath), silo.Output);
            key = (await File.ReadAllTextAsync(keyPath)).Trim();
            Assert.Contains(key, silo.Output, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(workDir.Path, "data", "delegation.db")), "SQLite under ./data is the default store.");

            var created = await new DelegationClient(silo.Http, key).CreateGrantAsync(Requests.Root());
            grantId = created.Grant.Id;
            await silo.KillAsync();
        }

        await using (var restarted = await SiloProcess.StartAsync(workDir.Path, log: output))
        {
            Assert.DoesNotContain(key, restarted.Output, StringComparison.Ordinal);
            Assert.Contains("Using the admin key in", restarted.Output, StringComparison.Ordinal);
            var view = await new DelegationClient(restarted.Http, key).GetGrantAsync(grantId);
            Assert.Equal(GrantStatus.Active, view.Status);
        }
    }
}
