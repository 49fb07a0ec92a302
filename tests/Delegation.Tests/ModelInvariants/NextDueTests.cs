using Delegation.Api;
using Delegation.Events;
using Delegation.Grains.Model;
using Delegation.Grants;

namespace Delegation.Tests.ModelInvariants;

public sealed class NextDueTests
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Spread 1000: expiries rarely tie. Spread 3: most grants share one of three expiries, so the grant holding the
    // earliest often leaves while others due at the same instant stay (the kept count, not a rescan, must answer).
    [Theory]
    [InlineData(1000)]
    [InlineData(3)]
    public void The_incrementally_kept_next_due_time_equals_a_full_scan_after_every_event(int spread)
    {
        var random = new Random(1234);
        var root = GrantId.NewRoot();
        var state = TreeState.Empty(root).Apply(
            TreeCommands.CreateRoot(new CreateGrantRequest("u", "a", ["*"], TtlSeconds: 100_000), root, new string('0', 64), Start), 1);
        var ids = new List<string> { root };
        TreeEvent? TryDelegate(TreeState tree, string parent, int ttl)
        {
            try
            {
                return TreeCommands.Delegate(tree, parent, new DelegateRequest("b", ["*"], TtlSeconds: ttl), GrantId.NewChild(root), new string('0', 64), Start);
            }
            catch (Grains.Errors.AttenuationException)
            {
                return null;
            }
        }

        TreeEvent? TryStatus(Func<TreeEvent?> change)
        {
            try
            {
                return change();
            }
            catch (Grains.Errors.ConflictException)
            {
                return null;
            }
        }

        int Ttl() => spread >= 1000 ? random.Next(1, 1000) : 100 * random.Next(1, spread + 1);

        var first = (GrantDelegated)TryDelegate(state, root, 500)!;
        state = state.Apply(first, 2);
        ids.Add(first.Grant.Id);
        for (var step = 0; step < 400; step++)
        {
            TreeEvent? e = random.Next(6) switch
            {
                0 or 1 => TryDelegate(state, ids[random.Next(ids.Count)], Ttl()),
                2 => TreeCommands.Revoke(state, ids[random.Next(1, ids.Count)], null, "test"),
                3 => TryStatus(() => TreeCommands.Suspend(state, ids[random.Next(1, ids.Count)], null, "test")),
                4 => TryStatus(() => TreeCommands.Resume(state, ids[random.Next(1, ids.Count)], null, "test", Start)),
                _ => state.Grants.Values.FirstOrDefault(n => n.Status == GrantStatus.Active && n.Record.ExpiresAt <= Start.AddSeconds(random.Next(1000))) is { } due
                    ? new GrantExpired(due.Id)
                    : null,
            };
            if (e is null)
            {
                continue;
            }

            state = state.Apply(e, state.Version + 1);
            if (e is GrantDelegated d)
            {
                ids.Add(d.Grant.Id);
            }

            var scanned = state.Grants.Values
                .Where(n => n.Status is GrantStatus.Active or GrantStatus.Suspended)
                .Select(n => (DateTimeOffset?)n.Record.ExpiresAt)
                .Min();
            Assert.Equal(scanned, state.NextDueAt());
        }
    }
}
