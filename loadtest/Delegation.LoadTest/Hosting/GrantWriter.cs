using Delegation.Api;
using Delegation.Client;
using Delegation.Grains.Runtime;

namespace Delegation.LoadTest.Hosting;

/// <summary>Creates grants either over HTTP (the typed client) or in-process (the grain factory).</summary>
/// <param name="CreateRootAsync">Creates a root grant.</param>
/// <param name="DelegateAsync">Delegates under a grant id.</param>
public sealed record GrantWriter(
    Func<CreateGrantRequest, CancellationToken, Task<GrantCreatedResponse>> CreateRootAsync,
    Func<string, DelegateRequest, CancellationToken, Task<GrantCreatedResponse>> DelegateAsync)
{
    /// <summary>Writes through the HTTP API.</summary>
    public static GrantWriter Over(DelegationClient client) =>
        new(client.CreateGrantAsync, client.DelegateAsync);

    /// <summary>Writes through the grains directly.</summary>
    public static GrantWriter Over(GrainFactory grains) =>
        new((r, ct) => grains.NewRootGrain().CreateRootAsync(r, ct), (id, r, ct) => grains.GetGrantGrain(id).DelegateAsync(r, ct));
}
