using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Delegation.Api;
using Delegation.Events;
using Delegation.Grants;
using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Api;

/// <summary>The change feed as server-sent events over a real socket, each test on a fresh silo so sequence numbers start at 1.</summary>
public sealed class FeedTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);
    private readonly SiloFactory _silo = SiloFactory.With(new SiloFactoryOptions
    {
        Kestrel = true,
        FeedHeartbeatInterval = TimeSpan.FromMilliseconds(100),
    });

    private readonly CancellationTokenSource _bound = new(Bound);
    private bool _stopped;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _bound.Dispose();
        if (!_stopped)
        {
            await _silo.DisposeAsync();
        }
    }

    [Fact]
    public async Task Events_arrive_in_order_with_ids_equal_to_their_sequence_numbers()
    {
        var root = await _silo.Issuer.CreateGrantAsync(Requests.Root());
        await _silo.As(root.Token).DelegateAsync(root.Grant.Id, Requests.Child());
        await _silo.Issuer.SuspendGrantAsync(root.Grant.Id);
        await _silo.Issuer.ResumeGrantAsync(root.Grant.Id);
        await _silo.Issuer.RevokeGrantAsync(root.Grant.Id);

        var items = await RawFeedAsync("?after=0", lastEventId: null).Take(6).ToListAsync(_bound.Token);

        Assert.Equal(("heartbeat", (string?)null), (items[0].EventType, items[0].EventId));
        Assert.Equal(5, JsonSerializer.Deserialize(items[0].Data, DelegationJsonContext.Default.FeedHeartbeat)!.Head);
        var events = items.Skip(1).ToList();
        Assert.Equal(["1", "2", "3", "4", "5"], events.Select(e => e.EventId));
        Assert.Equal(["grant_created", "grant_delegated", "grant_suspended", "grant_resumed", "grant_revoked"], events.Select(e => e.EventType));
        var data = events.Select(e => JsonSerializer.Deserialize(e.Data, DelegationJsonContext.Default.FeedEvent)!).ToList();
        Assert.Equal([1L, 2, 3, 4, 5], data.Select(d => d.Seq));
        Assert.Equal([1L, 2, 3, 4, 5], data.Select(d => d.Version));
        Assert.All(data, d => Assert.Equal(root.Grant.Id, d.TreeId));
        Assert.Equal(root.Grant.Id, Assert.IsType<GrantRevoked>(data[4].Event).GrantId);
    }

    [Fact]
    public async Task Concurrent_writes_reach_the_feed_gap_free_and_in_order()
    {
        await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => _silo.Issuer.CreateGrantAsync(Requests.Root())));

        var events = await _silo.Enforcer.ReadFeedAsync(0, _bound.Token).Where(i => !i.IsHeartbeat).Take(24).ToListAsync(_bound.Token);

        Assert.Equal(Enumerable.Range(1, 24).Select(i => (long)i), events.Select(e => e.Event!.Seq));
        Assert.Equal(24, events.Select(e => e.Event!.TreeId).Distinct().Count());
    }

    [Fact]
    public async Task Reading_after_N_resumes_exactly_after_N_and_then_follows_live_events()
    {
        var root = await _silo.Issuer.CreateGrantAsync(Requests.Root());
        for (var i = 0; i < 4; i++)
        {
            await _silo.As(root.Token).DelegateAsync(root.Grant.Id, Requests.Child());
        }

        var seen = new List<long>();
        await foreach (var item in _silo.Enforcer.ReadFeedAsync(2, _bound.Token))
        {
            if (item.IsHeartbeat)
            {
                continue;
            }

            seen.Add(item.Event.Seq);
            if (item.Event.Seq == 5)
            {
                // The feed has caught up; this write must arrive live on the same stream.
                await _silo.Issuer.RevokeGrantAsync(root.Grant.Id);
            }

            if (item.Event.Seq == 6)
            {
                Assert.IsType<GrantRevoked>(item.Event.Event);
                break;
            }
        }

        Assert.Equal([3L, 4, 5, 6], seen);
    }

    [Fact]
    public async Task Last_Event_ID_resumes_like_after_and_the_later_of_the_two_wins()
    {
        var root = await _silo.Issuer.CreateGrantAsync(Requests.Root());
        for (var i = 0; i < 4; i++)
        {
            await _silo.As(root.Token).DelegateAsync(root.Grant.Id, Requests.Child());
        }

        var byHeader = await RawFeedAsync(string.Empty, lastEventId: "3").Where(i => i.EventId is not null).Take(2).ToListAsync(_bound.Token);
        var headerLater = await RawFeedAsync("?after=1", lastEventId: "3").Where(i => i.EventId is not null).FirstAsync(_bound.Token);
        var queryLater = await RawFeedAsync("?after=4", lastEventId: "2").Where(i => i.EventId is not null).FirstAsync(_bound.Token);

        Assert.Equal(["4", "5"], byHeader.Select(i => i.EventId));
        Assert.Equal("4", headerLater.EventId);
        Assert.Equal("5", queryLater.EventId);
    }

    [Fact]
    public async Task Heartbeats_arrive_while_nothing_happens_and_carry_the_head()
    {
        await _silo.Issuer.CreateGrantAsync(Requests.Root());

        var items = await _silo.Enforcer.ReadFeedAsync(1, _bound.Token).Take(3).ToListAsync(_bound.Token);

        Assert.All(items, item => Assert.True(item.IsHeartbeat));
        Assert.All(items, item => Assert.Equal(1, item.Heartbeat!.Head));
        Assert.True(items[2].At > items[0].At, "Heartbeats are stamped with the silo's clock as they are sent.");
    }

    [Fact]
    public async Task Tokens_never_appear_in_the_feed_only_the_hashes_of_their_secrets()
    {
        var root = await _silo.Issuer.CreateGrantAsync(Requests.Root());
        var child = await _silo.As(root.Token).DelegateAsync(root.Grant.Id, Requests.Child());
        await _silo.As(child.Token).RevokeGrantAsync(child.Grant.Id);

        var items = await RawFeedAsync("?after=0", lastEventId: null).Where(i => i.EventId is not null).Take(3).ToListAsync(_bound.Token);

        foreach (var token in new[] { root.Token, child.Token })
        {
            var secret = token.Split('.')[1];
            Assert.All(items, item => Assert.DoesNotContain(secret, item.Data, StringComparison.Ordinal));
        }

        Assert.All(items, item => Assert.DoesNotContain("\"token\"", item.Data, StringComparison.Ordinal));
        var created = Assert.IsType<GrantCreated>(Parse(items[0]).Event);
        var delegated = Assert.IsType<GrantDelegated>(Parse(items[1]).Event);
        Assert.Equal(GrantToken.HashSecret(root.Token.Split('.')[1]), created.Grant.TokenHash);
        Assert.Equal(GrantToken.HashSecret(child.Token.Split('.')[1]), delegated.Grant.TokenHash);
        Assert.Equal($"grant:{child.Grant.Id}", Assert.IsType<GrantRevoked>(Parse(items[2]).Event).Actor);
    }

    [Fact]
    public async Task A_stopping_silo_ends_the_feed_for_its_subscribers_instead_of_cutting_them_off()
    {
        await _silo.Issuer.CreateGrantAsync(Requests.Root());
        var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = 0;
        var reading = Task.Run(async () =>
        {
            await foreach (var item in _silo.Enforcer.ReadFeedAsync(0, _bound.Token))
            {
                if (Interlocked.Increment(ref received) == 2)
                {
                    subscribed.SetResult();
                }
            }
        });
        await subscribed.Task.WaitAsync(_bound.Token);

        _stopped = true;
        await _silo.DisposeAsync();

        // Ends without DelegationUnavailableException: the silo closed the stream, it did not abort it.
        await reading.WaitAsync(_bound.Token);
        Assert.True(received >= 2);
    }

    private static FeedEvent Parse(SseItem<string> item) => JsonSerializer.Deserialize(item.Data, DelegationJsonContext.Default.FeedEvent)!;

    private async IAsyncEnumerable<SseItem<string>> RawFeedAsync(string query, string? lastEventId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient { BaseAddress = _silo.Http.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/feed" + query);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestKeys.Enforcer);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellationToken))
        {
            yield return item;
        }
    }
}
