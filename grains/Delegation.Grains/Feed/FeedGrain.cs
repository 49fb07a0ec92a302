using System.Runtime.CompilerServices;
using Delegation.Api;
using Delegation.Grains.Enforcers;
using Delegation.Grains.Errors;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Placement;

namespace Delegation.Grains.Feed;

/// <summary>
/// A follower's feed connection (see <see cref="IFeedGrain"/>). Reentrant: acknowledgements arrive while the stream
/// waits for the next append. Placed on the silo that first hears of it, and let go as soon as its stream ends.
/// </summary>
[Reentrant, PreferLocalPlacement]
public sealed class FeedGrain(FeedTail feed, IEnforcerRegistry registry, TimeProvider time, IOptions<FeedOptions> options) : Grain, IFeedGrain
{
    private string? _enforcer;
    private long _sent = -1;
    private bool _ended;

    /// <inheritdoc />
    public IAsyncEnumerable<FeedMessage> FollowAsync(string enforcer, long after)
    {
        var name = EnforcerNames.Validate(enforcer, "enforcer");
        if (after < 0)
        {
            throw new RequestValidationException("'after' must be a non-negative feed sequence number.");
        }

        if (_enforcer is not null || _ended)
        {
            throw new RequestValidationException("This feed connection already has its stream; take a new one to connect again.");
        }

        _enforcer = name;
        _sent = after;
        return StreamAsync(name, after);
    }

    /// <inheritdoc />
    public Task AcknowledgeAsync(long seq)
    {
        if (_enforcer is not { } name || _ended)
        {
            throw new RequestValidationException("This feed connection has no open stream to acknowledge.");
        }

        if (seq < 0 || seq > _sent)
        {
            throw new RequestValidationException($"'seq' {seq} is beyond what this stream has sent ({_sent}).");
        }

        return registry.AcknowledgeAsync(name, seq);
    }

    private async IAsyncEnumerable<FeedMessage> StreamAsync(string name, long after, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        try
        {
            // The enforcer is live exactly while its stream is being read, as over HTTP.
            await using var connection = (await registry.ConnectAsync(name, cancellationToken).ConfigureAwait(true)).ConfigureAwait(true);
            var reader = new FeedReader(feed, time, options.Value.HeartbeatInterval);
            await foreach (var message in reader.ReadAsync(after, cancellationToken).ConfigureAwait(true))
            {
                _sent = FeedReader.SentAfter(_sent, message);
                yield return message;
            }
        }
        finally
        {
            _ended = true;
            DeactivateOnIdle();
        }
    }
}
