using System.Text.Json;
using Delegation.Api;
using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Api;

/// <summary>
/// A silo on a manual clock (so no housekeeping writes anything on its own) with a small body limit, and the
/// grants the bad requests aim at: a budgeted root with one child, another tree, a revoked root and a live lease.
/// </summary>
public sealed class BadInputFixture : IAsyncLifetime
{
    /// <summary>The body limit the silo is configured with.</summary>
    public const int MaxBodyBytes = 4096;

    /// <summary>The silo.</summary>
    public SiloFactory Silo { get; } = SiloFactory.With(new SiloFactoryOptions
    {
        Time = new ManualTimeProvider(),
        MaxRequestBodyBytes = MaxBodyBytes,
    });

    /// <summary>Root grant: budget 100, maxDepth 1, one hour.</summary>
    public GrantCreatedResponse Root { get; private set; } = null!;

    /// <summary>The root's child: budget 10, ten minutes, at the root's maxDepth.</summary>
    public GrantCreatedResponse Child { get; private set; } = null!;

    /// <summary>The root of an unrelated tree.</summary>
    public GrantCreatedResponse Other { get; private set; } = null!;

    /// <summary>A revoked root grant; its token still authenticates.</summary>
    public GrantCreatedResponse Revoked { get; private set; } = null!;

    /// <summary>A lease of 5 units on the root, held by an enforcer.</summary>
    public LeaseResponse Lease { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Root = await Silo.Issuer.CreateGrantAsync(Requests.Root(budget: 100, maxDepth: 1));
        Child = await Silo.As(Root.Token).DelegateAsync(Root.Grant.Id, Requests.Child(budget: 10));
        Other = await Silo.Issuer.CreateGrantAsync(Requests.Root());
        Revoked = await Silo.Issuer.CreateGrantAsync(Requests.Root());
        await Silo.Issuer.RevokeGrantAsync(Revoked.Grant.Id);
        Lease = await Silo.Enforcer.ReserveLeaseAsync(new LeaseRequest(Root.Grant.Id, 5, "gateway-1"));
    }

    /// <summary>Everything a bad request could have changed: the feed head and the views of every grant above.</summary>
    public async Task<string> SnapshotAsync()
    {
        var views = new List<string> { (await Silo.FeedHeadAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var grant in new[] { Root, Child, Other, Revoked })
        {
            views.Add(JsonSerializer.Serialize(await Silo.Admin.GetGrantAsync(grant.Grant.Id), DelegationJsonContext.Default.GrantView));
        }

        return string.Join('\n', views);
    }

    /// <inheritdoc />
    public async Task DisposeAsync() => await Silo.DisposeAsync();
}
