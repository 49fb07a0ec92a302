using Delegation.Grains.Runtime;
using Delegation.Grains.Storage;
using Delegation.Grants;
using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Runtime;

/// <summary>
/// A caller looks an activation up, then takes a turn on it; the activation may be dropped in between (collected
/// as idle, or found empty by a check). The caller must then be told to ask the directory again, never crash.
/// </summary>
public class CollectionRaceTests : SiloTestBase
{
    [Fact]
    public async Task A_caller_holding_an_activation_collected_as_idle_is_told_to_ask_the_directory_again()
    {
        var root = (await Silo.CreateRootAsync()).Grant.Id;
        var held = await Silo.Directory.GetAsync(root);
        Time.Advance(Silo.Runtime.IdleTimeout + TimeSpan.FromSeconds(1));
        Assert.Equal(1, Silo.Maintenance.CollectIdle());

        await Assert.ThrowsAsync<ActivationDeactivatedException>(() => held.WriteAsync((_, _) => TurnDecision<bool>.Nothing(true)));

        Assert.Equal(1, (await Silo.Grain(root).RevokeAsync(null, "admin")).Affected);
    }

    [Fact]
    public async Task A_creator_holding_the_activation_a_check_found_empty_is_told_to_ask_the_directory_again()
    {
        var id = GrantId.NewRoot();
        var held = await Silo.Directory.GetAsync(id);
        Assert.Equal(DenyReason.UnknownGrant, (await Silo.CheckAsync(id)).Reason);

        await Assert.ThrowsAsync<ActivationDeactivatedException>(() => held.WriteAsync((_, _) => TurnDecision<bool>.Nothing(true)));

        var created = await Silo.Grain(id).CreateRootAsync(TestSilo.RootRequest());
        Assert.True((await Silo.CheckAsync(created.Grant.Id)).IsAllowed);
    }

    [Fact]
    public async Task Creating_a_root_while_checks_probe_its_id_succeeds_and_leaves_a_usable_activation()
    {
        for (var round = 0; round < 300; round++)
        {
            using var silo = new TestSilo(new MemoryEventStore(), new ManualTimeProvider());
            var id = GrantId.NewRoot();
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var probes = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
            {
                await start.Task;
                for (var i = 0; i < 20; i++)
                {
                    await silo.CheckAsync(id);
                }
            })).ToArray();
            var create = Task.Run(async () =>
            {
                await start.Task;
                return await silo.Grain(id).CreateRootAsync(TestSilo.RootRequest());
            });
            start.SetResult();
            await Task.WhenAll([.. probes, create]);

            if (silo.Directory.TryGetLoaded(id, out var loaded))
            {
                // A loaded activation must take turns: a deactivated one left in the directory would refuse every write.
                await loaded!.WriteAsync((_, _) => TurnDecision<bool>.Nothing(true));
            }

            Assert.Equal(2, (await silo.DelegateAsync(id, 10)).Grant.TreeVersion);
        }
    }
}
