using Delegation.Api;
using Delegation.Grains.Errors;
using Orleans.Concurrency;

namespace Delegation.Grains.OAuth;

/// <summary>Answers <see cref="IAccessTokenKeysGrain"/> from the silo's key ring, on whichever silo the call lands.</summary>
[StatelessWorker]
public sealed class AccessTokenKeysGrain(IAccessTokenKeyPublisher publisher) : Grain, IAccessTokenKeysGrain
{
    /// <inheritdoc />
    public Task<AccessTokenKeySet> GetAsync() =>
        publisher.Current() is { } keys
            ? Task.FromResult(keys)
            : throw new AuthorityUnavailableException(
                "This authority signs no access tokens: set Delegation:OAuth:SigningSecret on every silo of the cluster.");
}
