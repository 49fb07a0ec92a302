using Delegation.Api;
using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Operations;

/// <summary>
/// A silo whose decision log holds twelve real checks, one a minute on a manual clock, over two trees: tree A is
/// a root (alice, bot-a), its child (sub-a) and grandchild (leaf-a); tree B a root (bob, bot-b) and a child held
/// by sub-a too, so that an agent filter must cross trees. Each store's scenario says how its silo is made.
/// </summary>
public abstract class AuditScenario : IAsyncLifetime, IAsyncDisposable
{
    private readonly List<AuditCheck> _made = [];

    /// <summary>The silo's clock.</summary>
    public ManualTimeProvider Clock { get; } = new();

    /// <summary>The silo.</summary>
    public OpsSilo Silo { get; private set; } = null!;

    public string RootA { get; private set; } = null!;

    public string ChildA { get; private set; } = null!;

    public string LeafA { get; private set; } = null!;

    public string RootB { get; private set; } = null!;

    public string ChildB { get; private set; } = null!;

    /// <summary>Every check made, oldest first.</summary>
    public IReadOnlyList<AuditCheck> Made => _made;

    /// <summary>A silo with this scenario's store (and, for a file store, its data directory).</summary>
    public abstract OpsSilo CreateSilo();

    public async Task InitializeAsync()
    {
        Silo = CreateSilo();
        var rootA = await Silo.Issuer.CreateGrantAsync(new CreateGrantRequest("alice", "bot-a", ["tickets:*", "docs:read"], TtlSeconds: 86_400));
        var childA = await Silo.As(rootA.Token).DelegateAsync(rootA.Grant.Id, new DelegateRequest("sub-a", ["tickets:read", "tickets:write"], TtlSeconds: 86_000));
        var leafA = await Silo.As(childA.Token).DelegateAsync(childA.Grant.Id, new DelegateRequest("leaf-a", ["tickets:read"], TtlSeconds: 85_000));
        var rootB = await Silo.Issuer.CreateGrantAsync(new CreateGrantRequest("bob", "bot-b", ["tickets:*"], TtlSeconds: 86_400));
        var childB = await Silo.As(rootB.Token).DelegateAsync(rootB.Grant.Id, new DelegateRequest("sub-a", ["tickets:read"], TtlSeconds: 86_000));
        (RootA, ChildA, LeafA, RootB, ChildB) = (rootA.Grant.Id, childA.Grant.Id, leafA.Grant.Id, rootB.Grant.Id, childB.Grant.Id);

        (string Grant, string Action)[] checks =
        [
            (RootA, "tickets:read"), (ChildA, "tickets:read"), (LeafA, "tickets:read"), (LeafA, "tickets:write"),
            (RootB, "tickets:write"), (ChildB, "tickets:read"), (ChildB, "docs:read"), (RootA, "docs:read"),
            (ChildA, "docs:read"), (RootB, "tickets:read"), (LeafA, "tickets:read"), (ChildA, "tickets:write"),
        ];
        foreach (var (grant, action) in checks)
        {
            Clock.Advance(TimeSpan.FromMinutes(1));
            var answer = await Silo.Enforcer.CheckAsync(new CheckRequest(null, grant, action));
            var inA = grant.StartsWith(RootA, StringComparison.Ordinal);
            _made.Add(new AuditCheck(Clock.GetUtcNow(), grant, ChainOf(grant), AgentOf(grant), inA ? "alice" : "bob", action, answer.Decision));
        }

        await Silo.FlushDecisionsAsync();
    }

    public virtual async Task DisposeAsync() => await Silo.DisposeAsync();

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    private string[] ChainOf(string grant) =>
        grant == LeafA ? [RootA, ChildA, LeafA]
        : grant == ChildA ? [RootA, ChildA]
        : grant == ChildB ? [RootB, ChildB]
        : [grant];

    private string AgentOf(string grant) =>
        grant == RootA ? "bot-a" : grant == RootB ? "bot-b" : grant == LeafA ? "leaf-a" : "sub-a";
}
