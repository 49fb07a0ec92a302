using Delegation.Api;

namespace Delegation.LoadTest.Hosting;

/// <summary>The grants scenarios check: chains under root grants, with the scope every check asks for.</summary>
public static class Fixtures
{
    /// <summary>The action every check asks for.</summary>
    public const string Action = "tickets:read";

    /// <summary>The resource every check asks for.</summary>
    public const string Resource = "projects/42/7";

    /// <summary>A root grant's scope.</summary>
    public static readonly IReadOnlyList<string> RootScope = ["tickets:*@projects/**"];

    /// <summary>A delegation's scope: covered by the root's, allows the checked request.</summary>
    public static readonly IReadOnlyList<string> ChildScope = ["tickets:read@projects/**", "tickets:list@projects/*"];

    /// <summary>Lifetime of fixture grants: longer than any run.</summary>
    public const long TtlSeconds = 6 * 3600;

    /// <summary>
    /// Creates <paramref name="trees"/> chains, each a root and <paramref name="depth"/> - 1 delegations below it,
    /// and returns the deepest grant of each (a check on it walks the whole chain).
    /// </summary>
    public static async Task<IReadOnlyList<Grant>> CreateChainsAsync(GrantWriter writer, int trees, int depth, long? budget, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var leaves = new List<Grant>(trees);
        for (var t = 0; t < trees; t++)
        {
            var created = await writer.CreateRootAsync(
                new CreateGrantRequest($"user-{t}", $"agent-{t}", RootScope, budget, TtlSeconds: TtlSeconds, MaxDepth: Math.Max(depth, 1)),
                cancellationToken).ConfigureAwait(false);
            for (var d = 1; d < depth; d++)
            {
                created = await writer.DelegateAsync(
                    created.Grant.Id,
                    new DelegateRequest($"agent-{t}-{d}", ChildScope, budget, ExpiresAt: created.Grant.ExpiresAt),
                    cancellationToken).ConfigureAwait(false);
            }

            leaves.Add(new Grant(created.Grant.Id, created.Token, created.Grant.RootId));
        }

        return leaves;
    }
}
