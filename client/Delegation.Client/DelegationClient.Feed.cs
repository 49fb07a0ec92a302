using System.Globalization;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;

namespace Delegation.Client;

public sealed partial class DelegationClient
{
    private static readonly MediaTypeWithQualityHeaderValue EventStream = new("text/event-stream");

    /// <summary>
    /// Reads the change feed, <c>GET /v1/feed?after=</c>, as server-sent events: every tree event after
    /// <paramref name="after"/> in the global sequence, then live ones, with heartbeats in between.
    /// </summary>
    /// <param name="after">
    /// The last sequence already applied (0 for the beginning). When resuming (above 0) it is also sent as
    /// <c>Last-Event-ID</c>.
    /// </param>
    /// <param name="cancellationToken">Stops reading and closes the connection.</param>
    /// <returns>
    /// Events and heartbeats in the order the silo sent them, over one connection. The sequence ends when the silo
    /// closes the stream; resume by calling again with the last <see cref="Delegation.Api.FeedEvent.Seq"/> seen.
    /// </returns>
    /// <exception cref="DelegationUnavailableException">The silo could not be reached, or the stream broke.</exception>
    /// <exception cref="DelegationApiException">The silo refused the subscription, by its subclass.</exception>
    /// <exception cref="System.Text.Json.JsonException">An event's data is not a feed message this client knows.</exception>
    public IAsyncEnumerable<FeedItem> ReadFeedAsync(long after, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(after);
        return ReadFeedCoreAsync(Routes.Feed(after), after, cancellationToken);
    }

    /// <summary>
    /// Reads the change feed as a named enforcer, <c>GET /v1/feed?after=&amp;enforcer=</c>: the silo counts the
    /// enforcer as live while this stream is open, and <c>revoke?wait=true</c> waits for its acknowledgement
    /// (<see cref="AcknowledgeFeedAsync"/>).
    /// </summary>
    /// <param name="after">The last sequence already applied (0 for the beginning); also sent as <c>Last-Event-ID</c> when above 0.</param>
    /// <param name="enforcer">The enforcer's name, as it acknowledges with.</param>
    /// <param name="cancellationToken">Stops reading and closes the connection.</param>
    /// <returns>Events and heartbeats in the order the silo sent them, over one connection.</returns>
    /// <exception cref="DelegationUnavailableException">The silo could not be reached, or the stream broke.</exception>
    /// <exception cref="DelegationApiException">The silo refused the subscription, by its subclass.</exception>
    /// <exception cref="System.Text.Json.JsonException">An event's data is not a feed message this client knows.</exception>
    public IAsyncEnumerable<FeedItem> ReadFeedAsync(long after, string enforcer, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(after);
        ArgumentException.ThrowIfNullOrWhiteSpace(enforcer);
        return ReadFeedCoreAsync(Routes.Feed(after, enforcer), after, cancellationToken);
    }

    private async IAsyncEnumerable<FeedItem> ReadFeedCoreAsync(
        string uri,
        long after,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = CreateRequest(HttpMethod.Get, uri, content: null);
        request.Headers.Accept.Add(EventStream);
        if (after > 0)
        {
            request.Headers.Add("Last-Event-ID", after.ToString(CultureInfo.InvariantCulture));
        }

        // Response headers only: the body is an endless stream, which the HttpClient timeout does not cover.
        using var response = await SendCoreAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        await using var stream = await ReadStreamAsync(response, cancellationToken).ConfigureAwait(false);
        await using var items = SseParser.Create(stream, FeedItem.Parse).EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (await MoveNextAsync(items, cancellationToken).ConfigureAwait(false))
        {
            if (items.Current.Data is { } item)
            {
                yield return item;
            }
        }
    }

    private async Task<Stream> ReadStreamAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (ThrowHelper.IsUnavailable(e, cancellationToken))
        {
            throw ThrowHelper.Unavailable(BaseAddress, e);
        }
    }

    // C# forbids yield inside a try with a catch, so the stream's transport failures are translated here.
    private async Task<bool> MoveNextAsync<T>(IAsyncEnumerator<T> items, CancellationToken cancellationToken)
    {
        try
        {
            return await items.MoveNextAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (ThrowHelper.IsUnavailable(e, cancellationToken))
        {
            throw ThrowHelper.Unavailable(BaseAddress, e);
        }
    }
}
