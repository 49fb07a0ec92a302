using Delegation.Api;
using Delegation.Client;
using Delegation.Grains.Trees;

namespace Delegation.LoadTest.Hosting;

/// <summary>Creates grants either over HTTP (the typed client) or in-process (grain calls to the tree grains).</summary>
/// <param name="CreateRootAsync">Creates a root grant.</param>
/// <param name="DelegateAsync">Delegates under a grant id.</param>
public sealed record GrantWriter(
    Func<CreateGrantRequest, CancellationToken, Task<GrantCreatedResponse>> CreateRootAsync,
    Func<string, DelegateRequest, CancellationToken, Task<GrantCreatedResponse>> DelegateAsync)
{
    /// <summary>Writes through the HTTP API.</summary>
    public static GrantWriter Over(DelegationClient client) =>
        new(client.CreateGrantAsync, client.DelegateAsync);

    /// <summary>
    /// Writes through the tree grains of a silo in this process. Grain calls take no cancellation token: one is
    /// honoured before each call is sent, not while it runs.
    /// </summary>
    public static GrantWriter Over(IGrainFactory grains) =>
        new(
            (r, ct) => ct.IsCancellationRequested ? Task.FromCanceled<GrantCreatedResponse>(ct) : grains.NewRootGrant().CreateRootAsync(r),
            (id, r, ct) => ct.IsCancellationRequested ? Task.FromCanceled<GrantCreatedResponse>(ct) : grains.GetGrant(id).DelegateAsync(r));
}
