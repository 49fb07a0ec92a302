using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Delegation.Api;

namespace Delegation.Tests.Operations;

/// <summary>An enforcer's open feed stream (<c>GET /v1/feed</c>), read one server-sent event at a time.</summary>
public sealed class FeedConnection : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly Stream _stream;
    private readonly CancellationTokenSource _bound = new(TimeSpan.FromSeconds(15));
    private readonly IAsyncEnumerator<SseItem<string>> _items;

    private FeedConnection(HttpResponseMessage response, Stream stream)
    {
        _response = response;
        _stream = stream;
        _items = SseParser.Create(stream).EnumerateAsync(_bound.Token).GetAsyncEnumerator(_bound.Token);
    }

    /// <summary>The stream's connection id from its first heartbeat (null for an unnamed stream): acknowledgements name it.</summary>
    public string? Id { get; private set; }

    /// <summary>
    /// Opens the feed with <paramref name="query"/> (e.g. <c>enforcer=e1</c>) with <paramref name="key"/> (the
    /// enforcer key by default) and reads its first item, the heartbeat the silo sends at once: by then a named
    /// enforcer is registered as connected.
    /// </summary>
    public static async Task<FeedConnection> OpenAsync(OpsSilo silo, string query, string key = OpsKeys.Enforcer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/feed?" + query);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var response = await silo.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.True(response.IsSuccessStatusCode, $"GET /v1/feed?{query}: {(int)response.StatusCode}");
        var connection = new FeedConnection(response, await response.Content.ReadAsStreamAsync());
        var first = await connection.NextAsync();
        Assert.Equal("heartbeat", first.EventType);
        connection.Id = JsonSerializer.Deserialize(first.Data, DelegationJsonContext.Default.FeedHeartbeat)!.Connection;
        return connection;
    }

    /// <summary>The next item of the stream (an event or a heartbeat).</summary>
    public async Task<SseItem<string>> NextAsync()
    {
        Assert.True(await _items.MoveNextAsync(), "the feed ended");
        return _items.Current;
    }

    /// <summary>The next feed event (not a heartbeat) that <paramref name="match"/> accepts, skipping the others.</summary>
    public async Task<FeedEvent> NextEventAsync(Func<FeedEvent, bool> match)
    {
        while (true)
        {
            var item = await NextAsync();
            if (item.EventType != "heartbeat" && JsonSerializer.Deserialize(item.Data, DelegationJsonContext.Default.FeedEvent) is { } e && match(e))
            {
                return e;
            }
        }
    }

    /// <summary>Closes the stream, as an enforcer going away does.</summary>
    public async ValueTask DisposeAsync()
    {
        await _items.DisposeAsync();
        await _stream.DisposeAsync();
        _response.Dispose();
        _bound.Dispose();
    }
}
