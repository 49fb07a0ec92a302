using Delegation.Api;

namespace Delegation.Tests.Operations;

/// <summary>
/// An acknowledgement is bound to the acknowledging enforcer's own open feed stream: its connection id, the key that
/// opened it, its name, and no further than the stream has sent. A forged one is refused and counts for nothing.
/// </summary>
public sealed class AckBindingTests : IAsyncLifetime
{
    private readonly OpsSilo _silo = new(new OpsSiloOptions { MaxStreamsPerKey = 3 });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task A_named_stream_says_its_connection_in_its_first_heartbeat_and_an_unnamed_one_does_not()
    {
        await using var named = await FeedConnection.OpenAsync(_silo, "enforcer=e1");
        await using var unnamed = await FeedConnection.OpenAsync(_silo, "after=0");

        Assert.False(string.IsNullOrEmpty(named.Id));
        Assert.True(named.Id!.Length >= 22);
        Assert.Null(unnamed.Id);
    }

    [Fact]
    public async Task Acknowledgements_that_are_not_the_streams_own_are_refused_and_a_wait_does_not_count_them()
    {
        var root = await _silo.Issuer.CreateGrantAsync(new CreateGrantRequest("alice", "bot", ["tickets:*"], TtlSeconds: 3600));
        await using var e1 = await FeedConnection.OpenAsync(_silo, "enforcer=e1");
        await e1.NextEventAsync(e => e.Seq == 1);

        using var noConnection = await AckAsync(OpsKeys.Enforcer, "e1", 1, null);
        using var unknown = await AckAsync(OpsKeys.Enforcer, "e1", 1, "not-a-connection-id-0000");
        using var otherName = await AckAsync(OpsKeys.Enforcer, "e2", 1, e1.Id);
        using var otherKey = await AckAsync(OpsKeys.Admin, "e1", 1, e1.Id);
        using var beyond = await AckAsync(OpsKeys.Enforcer, "e1", 1_000_000, e1.Id);
        var revoked = await _silo.PostJsonAsync(
            $"/v1/grants/{root.Grant.Id}/revoke?wait=true&timeoutMs=100", OpsKeys.Issuer, new StatusChangeRequest("test"),
            DelegationJsonContext.Default.StatusChangeRequest, DelegationJsonContext.Default.StatusChangeResponse);

        await OpsAssert.ProblemAsync(noConnection, 400, ErrorCodes.ValidationFailed);
        await OpsAssert.ProblemAsync(unknown, 409, ErrorCodes.FeedConnectionClosed);
        await OpsAssert.ProblemAsync(otherName, 403, ErrorCodes.Forbidden);
        await OpsAssert.ProblemAsync(otherKey, 403, ErrorCodes.Forbidden);
        await OpsAssert.ProblemAsync(beyond, 400, ErrorCodes.ValidationFailed);
        Assert.Equal((0, 1, true), (revoked.Propagation!.Acked, revoked.Propagation.Total, revoked.Propagation.TimedOut));
        var listed = await _silo.GetJsonAsync("/v1/enforcers", OpsKeys.Issuer, DelegationJsonContext.Default.EnforcersResponse);
        Assert.Equal([("e1", 0L)], listed.Enforcers.Select(e => (e.Name, e.AckedSeq)));
    }

    [Fact]
    public async Task A_closed_streams_connection_takes_no_more_acknowledgements()
    {
        var e1 = await FeedConnection.OpenAsync(_silo, "enforcer=e1");
        var id = e1.Id;
        using var open = await AckAsync(OpsKeys.Enforcer, "e1", 0, id);

        await e1.DisposeAsync();
        await OpsAssert.EventuallyAsync(
            async () =>
            {
                using var late = await AckAsync(OpsKeys.Enforcer, "e1", 0, id);
                return (int)late.StatusCode == 409;
            },
            "the closed stream's connection is gone");

        Assert.Equal(204, (int)open.StatusCode);
    }

    [Fact]
    public async Task One_key_holds_at_most_max_streams_per_key_open_streams_and_a_closed_one_frees_its_place()
    {
        var streams = new List<FeedConnection>();
        for (var i = 0; i < 3; i++)
        {
            streams.Add(await FeedConnection.OpenAsync(_silo, $"enforcer=e{i}"));
        }

        using var refused = await _silo.SendAsync(HttpMethod.Get, "/v1/feed?enforcer=e3", OpsKeys.Enforcer);
        await using var otherKey = await FeedConnection.OpenAsync(_silo, "enforcer=e3", OpsKeys.Admin);
        await streams[0].DisposeAsync();
        var reopened = await EventuallyOpensAsync("enforcer=e3");

        await OpsAssert.ProblemAsync(refused, 409, ErrorCodes.TooManyFeedStreams);
        Assert.True(reopened.IsSuccessStatusCode, $"reopening: {(int)reopened.StatusCode}");
        reopened.Dispose();
        foreach (var stream in streams.Skip(1))
        {
            await stream.DisposeAsync();
        }
    }

    // The silo notices a closed stream a moment after the client closes it: until then the key's place is taken.
    private async Task<HttpResponseMessage> EventuallyOpensAsync(string query)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/feed?" + query);
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", OpsKeys.Enforcer);
            var probe = await _silo.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            if (probe.IsSuccessStatusCode || DateTime.UtcNow > deadline)
            {
                return probe;
            }

            probe.Dispose();
            await Task.Delay(50);
        }
    }

    private Task<HttpResponseMessage> AckAsync(string key, string enforcer, long seq, string? connection) =>
        _silo.SendAsync(
            HttpMethod.Post,
            "/v1/enforcers/ack",
            key,
            connection is null ? $$"""{"enforcer":"{{enforcer}}","seq":{{seq}}}""" : $$"""{"enforcer":"{{enforcer}}","seq":{{seq}},"connection":"{{connection}}"}""");
}
