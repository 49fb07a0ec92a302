using Delegation.Client;
using Delegation.Grants;
using Delegation.Tests.Api;
using Delegation.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Delegation.Tests.Process;

/// <summary>
/// kill -9 loses nothing the silo acknowledged: a real silo on SQLite takes concurrent grants, delegations, revocations
/// and spending checks, is SIGKILLed mid-flight, and a new silo on the same data directory must show every one of them.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    private const int Workers = 8;
    private const long RootBudget = 1000;
    private const long ChildBudget = 200;

    [Fact]
    public async Task A_silo_killed_mid_flight_loses_nothing_it_acknowledged_and_overspends_nothing()
    {
        using var dataDir = new TempDirectory("process-crash");
        var environment = new Dictionary<string, string>
        {
            ["Delegation__DataDir"] = dataDir.Path,
            ["Delegation__AdminKey"] = TestKeys.Admin,
            ["Delegation__IssuerKeys__0"] = TestKeys.Issuer,
            ["Delegation__EnforcerKeys__0"] = TestKeys.Enforcer,
        };
        var ledger = new CrashLedger(target: 600);
        var refused = 0;
        var inFlight = 0;

        await using (var silo = await SiloProcess.StartAsync(dataDir.Path, environment, output))
        {
            var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(() => WorkAsync(silo.Http, ledger, w))).ToArray();
            await ledger.Enough.WaitAsync(TimeSpan.FromSeconds(60));

            inFlight = ledger.InFlight;
            await silo.KillAsync();

            foreach (var worker in workers)
            {
                refused += await worker;
            }
        }

        output.WriteLine($"Acknowledged before the kill: {ledger.Acks} ({ledger.Grants.Count} grants, {ledger.RevokesAcked} revocations, "
            + $"{ledger.ChecksAllowedCost} units of allowed checks); {inFlight} calls in flight at the kill, {refused} failed in flight or after.");
        Assert.True(ledger.RevokesAcked > 0, "The workload revoked something before the kill.");

        await using var restarted = await SiloProcess.StartAsync(dataDir.Path, environment, output);
        var admin = new DelegationClient(restarted.Http, TestKeys.Admin);
        var views = await Task.WhenAll(ledger.Grants.Keys.Select(async id => (Id: id, View: await admin.GetGrantAsync(id))));

        foreach (var (id, view) in views)
        {
            Assert.Equal(ledger.Grants[id].ParentId, view.ParentId);
            if (ledger.WasRevoked(id))
            {
                Assert.Equal(GrantStatus.Revoked, view.Status);
            }
            else if (!ledger.MayBeRevoked(id))
            {
                Assert.Equal(GrantStatus.Active, view.Status);
            }

            if (view.ParentId is { } parent && ledger.WasRevoked(parent))
            {
                Assert.Equal((GrantStatus.Revoked, (DenyReason?)DenyReason.AncestorRevoked), (view.EffectiveStatus, view.EffectiveReason));
            }

            var budget = view.Budget!;
            Assert.Equal(ledger.Grants[id].Budget, budget.Limit);
            Assert.True(budget.Spent + budget.Reserved <= budget.Limit, $"{id} is overspent: {budget}.");
            var consumed = ledger.ConsumedUnder(id);
            Assert.True(budget.Spent + budget.Reserved >= consumed, $"{id} forgot spending: {budget}, but {consumed} units were allowed.");
        }

        var survivor = ledger.Grants.Values.First(g => g.ParentId is not null && !ledger.MayBeRevoked(g.Id) && !ledger.MayBeRevoked(g.ParentId));
        var check = await new DelegationClient(restarted.Http, TestKeys.Enforcer).CheckAsync(Requests.Check(survivor.Token, cost: 1));
        Assert.Equal(Decision.Allow, check.Decision);
    }

    /// <summary>Grant, delegate, spend, revoke, over and over, until the silo stops answering; returns how many calls failed.</summary>
    private static async Task<int> WorkAsync(HttpClient http, CrashLedger ledger, int worker)
    {
        var issuer = new DelegationClient(http, TestKeys.Issuer);
        var enforcer = new DelegationClient(http, TestKeys.Enforcer);
        for (var round = 0; ; round++)
        {
            try
            {
                await RoundAsync(issuer, enforcer, ledger, worker + round);
            }
            catch (DelegationUnavailableException)
            {
                // The silo is gone: this call was in flight or came after. One more shows it stays gone.
                return 1 + await FailsAsync(issuer);
            }
        }
    }

    private static async Task RoundAsync(DelegationClient issuer, DelegationClient enforcer, CrashLedger ledger, int round)
    {
        var root = await ledger.CallAsync(() => issuer.CreateGrantAsync(Requests.Root(budget: RootBudget)));
        ledger.Granted(new AckedGrant(root.Grant.Id, null, root.Token, RootBudget));
        var child = await ledger.CallAsync(
            () => issuer.WithCredential(root.Token).DelegateAsync(root.Grant.Id, Requests.Child(budget: ChildBudget)));
        ledger.Granted(new AckedGrant(child.Grant.Id, root.Grant.Id, child.Token, ChildBudget));

        for (var i = 0; i < 6; i++)
        {
            var (grant, cost) = i % 3 == 2 ? (root, 5L) : (child, 1L + (i % 2));
            var answer = await ledger.CallAsync(() => enforcer.CheckAsync(Requests.Check(grant.Token, cost)));
            if (answer.Decision == Decision.Allow)
            {
                ledger.Allowed(grant.Grant.Id, cost);
            }
        }

        var victim = round % 3 == 0 ? root : round % 2 == 0 ? child : null;
        if (victim is not null)
        {
            ledger.RevokeAttempted(victim.Grant.Id);
            await ledger.CallAsync(() => issuer.RevokeGrantAsync(victim.Grant.Id, "crash test"));
            ledger.Revoked(victim.Grant.Id);
        }
    }

    private static async Task<int> FailsAsync(DelegationClient client)
    {
        try
        {
            await client.CreateGrantAsync(Requests.Root());
            throw new InvalidOperationException("A killed silo acknowledged a grant.");
        }
        catch (DelegationUnavailableException)
        {
            return 1;
        }
    }
}
