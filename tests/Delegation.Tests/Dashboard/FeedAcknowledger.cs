using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;

namespace Delegation.Tests.Dashboard;

/// <summary>
/// A stand-in enforcement point: follows the feed under a name and acknowledges every event it reads, so the
/// silo lists it as a live enforcer with its lag, and <c>revoke?wait=true</c> waits for it.
/// </summary>
public sealed class FeedAcknowledger : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FeedAcknowledger(HttpClient http, string name, string key)
    {
        _running = Task.Run(() => RunAsync(http, name, key, _stop.Token));
    }

    /// <summary>Connects an enforcer named <paramref name="name"/> and returns once its feed is open.</summary>
    public static async Task<FeedAcknowledger> ConnectAsync(HttpClient http, string name, string key)
    {
        var acknowledger = new FeedAcknowledger(http, name, key);
        await acknowledger._connected.Task.WaitAsync(TimeSpan.FromSeconds(20));
        return acknowledger;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task RunAsync(HttpClient http, string name, string key, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/feed?enforcer={Uri.EscapeDataString(name)}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        _connected.TrySetResult();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        string? connection = null;
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellationToken))
        {
            if (item.EventType == "heartbeat")
            {
                connection ??= System.Text.Json.JsonSerializer.Deserialize(item.Data, Delegation.Api.DelegationJsonContext.Default.FeedHeartbeat)!.Connection;
            }
            else if (item.EventId is { Length: > 0 } id)
            {
                using var ack = new HttpRequestMessage(HttpMethod.Post, "/v1/enforcers/ack")
                {
                    Content = JsonContent.Create(new { enforcer = name, seq = long.Parse(id, CultureInfo.InvariantCulture), connection }),
                };
                ack.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                using var acked = await http.SendAsync(ack, cancellationToken);
                acked.EnsureSuccessStatusCode();
            }
        }
    }
}
