using Delegation.Grains.Trees;
using Delegation.Grants;

namespace Delegation.Tests.Runtime;

/// <summary>
/// A check on an id nobody created lets its empty activation go at once (so guessed ids cost no memory); a root
/// created while checks probe that id must still succeed and leave a tree that takes writes.
/// </summary>
public class CollectionRaceTests : SiloTestBase
{
    [Fact]
    public async Task Creating_a_root_while_checks_probe_its_id_succeeds_and_leaves_a_usable_tree()
    {
        for (var round = 0; round < 100; round++)
        {
            var id = GrantId.NewRoot();
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var probes = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
            {
                await start.Task;
                for (var i = 0; i < 20; i++)
                {
                    await Silo.CheckAsync(id);
                }
            })).ToArray();
            var create = Task.Run(async () =>
            {
                await start.Task;
                return await Silo.Grain(id).CreateRootAsync(TestSilo.RootRequest());
            });
            start.SetResult();
            await Task.WhenAll([.. probes, create]);

            Assert.Equal(2, (await Silo.DelegateAsync(id, 10)).Grant.TreeVersion);
            Assert.True((await Silo.CheckAsync(id)).IsAllowed);
        }
    }

    [Fact]
    public async Task A_check_on_an_id_nobody_created_leaves_no_activation_behind()
    {
        var id = GrantId.NewRoot();

        Assert.Equal(DenyReason.UnknownGrant, (await Silo.CheckAsync(id)).Reason);

        await Silo.Cluster.WaitForDeactivationAsync(Silo.Grains.GetTree(id));
        Assert.False(Silo.IsActive(id));
    }
}
