using Delegation.Client;
using static Delegation.Tests.Cli.CliGrants;

namespace Delegation.Tests.Cli;

/// <summary>What the CLI shows of the enforcement points: who is connected, and who has not caught up.</summary>
[Collection(CliCollection.Name)]
public sealed class CliEnforcerTests(SiloProcess silo)
{
    private readonly CliRunner _cli = new(silo);

    [Fact]
    public async Task Enforcers_lists_a_live_enforcer_and_revoke_wait_reports_it_did_not_acknowledge()
    {
        var name = Unique("gateway");
        using var http = new HttpClient { BaseAddress = new Uri(silo.Url + "/") };
        using var stop = new CancellationTokenSource();
        var enforcer = new DelegationClient(http, SiloProcess.EnforcerKey);
        var feed = enforcer.ReadFeedAsync(0, name, stop.Token).GetAsyncEnumerator(stop.Token);
        try
        {
            Assert.True(await feed.MoveNextAsync()); // the first heartbeat: the silo counts it as live from here
            var (rootId, _) = await GrantAsync(_cli, Unique("mo"), Unique("bot"), "x:y");

            var table = (await _cli.RunAsync("enforcers")).ExpectExit(0);
            var row = Assert.Single(table.Stdout.Split('\n'), l => l.Contains(name, StringComparison.Ordinal));
            Assert.Contains("live", row);
            Assert.Contains("never", row);

            var revoked = (await _cli.RunAsync("revoke", rootId, "--wait", "--timeout", "300ms")).ExpectExit(0);
            Assert.Contains("propagation: timed out", revoked.Stdout);
            Assert.Contains("0/1 live enforcers acknowledged", revoked.Stdout);
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await feed.DisposeAsync();
            }
            catch (OperationCanceledException)
            {
                // Closing the stream is all that was asked.
            }

            await WaitUntilGoneAsync(name);
        }
    }

    // Other tests' revoke --wait must not wait for this enforcer: return once the silo has seen it leave.
    private async Task WaitUntilGoneAsync(string name)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var list = (await _cli.RunAsync("enforcers", "--json")).ExpectExit(0).Json().GetProperty("enforcers");
            if (!list.EnumerateArray().Any(e => e.GetProperty("name").GetString() == name && e.GetProperty("connected").GetBoolean()))
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        Assert.Fail($"The silo still counts enforcer {name} as connected after its stream was closed.");
    }
}
