using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Delegation.Api;

namespace Delegation.Tests.Cluster;

/// <summary>
/// The smallest enforcer there is: one named feed stream on a silo, read with the BCL's SSE parser, and an
/// acknowledgement posted to that silo for every event it has read. Keeps every event for assertions.
/// </summary>
public sealed class RawSseEnforcer : IAsyncDisposable
{
    private readonly ClusterSilo _silo;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<FeedEvent> _events = new();
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HttpClient _http;
    private Task _loop = Task.CompletedTask;
    private long _acked;

    private RawSseEnforcer(ClusterSilo silo, string name)
    {
        _silo = silo;
        Name = name;
        _http = new HttpClient { BaseAddress = silo.Address, Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ClusterKeys.Enforcer);
    }

    /// <summary>The enforcer's name.</summary>
    public string Name { get; }

    /// <summary>The feed position it has acknowledged (set as the acknowledgement is sent, so never behind what a silo counts).</summary>
    public long Acked => Interlocked.Read(ref _acked);

    /// <summary>Every tree event it has read, in feed order.</summary>
    public IReadOnlyList<FeedEvent> Events => [.. _events];

    /// <summary>Opens the stream after <paramref name="after"/> and returns once the first heartbeat arrived (it is registered then).</summary>
    public static async Task<RawSseEnforcer> ConnectAsync(ClusterSilo silo, string name, long after)
    {
        var enforcer = new RawSseEnforcer(silo, name);
        enforcer._loop = Task.Run(() => enforcer.ReadAsync(after));
        await enforcer._connected.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return enforcer;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException)
        {
            // The stream ended with the test.
        }

        _http.Dispose();
        _stop.Dispose();
    }

    private async Task ReadAsync(long after)
    {
        using var response = await _http.GetAsync(
            $"/v1/feed?after={after}&enforcer={Uri.EscapeDataString(Name)}", HttpCompletionOption.ResponseHeadersRead, _stop.Token);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(_stop.Token);
        string? connection = null;
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(_stop.Token))
        {
            if (item.EventType == "heartbeat")
            {
                connection ??= JsonSerializer.Deserialize(item.Data, DelegationJsonContext.Default.FeedHeartbeat)!.Connection;
                _connected.TrySetResult();
                continue;
            }

            var feedEvent = JsonSerializer.Deserialize(item.Data, DelegationJsonContext.Default.FeedEvent)!;
            _events.Enqueue(feedEvent);
            Assert.Equal(feedEvent.Seq.ToString(CultureInfo.InvariantCulture), item.EventId);
            Interlocked.Exchange(ref _acked, feedEvent.Seq);
            using var ack = await _http.PostAsync(
                "/v1/enforcers/ack",
                new StringContent(
                    JsonSerializer.Serialize(new AckRequest(Name, feedEvent.Seq, connection), DelegationJsonContext.Default.AckRequest),
                    System.Text.Encoding.UTF8,
                    "application/json"),
                _stop.Token);
            ack.EnsureSuccessStatusCode();
        }

        GC.KeepAlive(_silo);
    }
}
