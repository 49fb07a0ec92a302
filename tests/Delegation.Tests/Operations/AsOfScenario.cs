using Delegation.Api;
using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Operations;

/// <summary>
/// A silo on a manual clock where a root is granted at T1, delegated to a child at T2, suspended at T3, resumed at
/// T4 and revoked at T5, a minute apart; the clock then stands a minute after T5. Nothing changes it afterwards,
/// so the as-of tests share it.
/// </summary>
public sealed class AsOfScenario : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new();

    public AsOfScenario() => Silo = new OpsSilo(new OpsSiloOptions { Time = _clock });

    /// <summary>The silo.</summary>
    public OpsSilo Silo { get; }

    /// <summary>T[1] to T[5], the instants of the five changes (T[0] is unused).</summary>
    public DateTimeOffset[] T { get; } = new DateTimeOffset[6];

    /// <summary>The root grant (alice, support-bot, budget 50).</summary>
    public string Root { get; private set; } = null!;

    /// <summary>The root's child (summarizer, tickets:read, budget 5).</summary>
    public string Child { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        T[1] = Step();
        var root = await Silo.Issuer.CreateGrantAsync(new CreateGrantRequest("alice", "support-bot", ["tickets:*"], Budget: 50, TtlSeconds: 86_400));
        Root = root.Grant.Id;
        T[2] = Step();
        Child = (await Silo.As(root.Token).DelegateAsync(Root, new DelegateRequest("summarizer", ["tickets:read"], Budget: 5, TtlSeconds: 3_600))).Grant.Id;
        T[3] = Step();
        await Silo.Issuer.SuspendGrantAsync(Root, "investigation");
        T[4] = Step();
        await Silo.Issuer.ResumeGrantAsync(Root);
        T[5] = Step();
        await Silo.Issuer.RevokeGrantAsync(Root, "offboarding");
        Step();
    }

    public async Task DisposeAsync() => await Silo.DisposeAsync();

    private DateTimeOffset Step()
    {
        _clock.Advance(TimeSpan.FromMinutes(1));
        return _clock.GetUtcNow();
    }
}
