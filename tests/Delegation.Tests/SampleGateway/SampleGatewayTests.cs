using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Delegation.Api;

namespace Delegation.Tests.SampleGateway;

/// <summary>
/// The YARP sample gateway, through real requests: what reaches the upstream, and what never does. Run once per
/// mode (HTTP, Orleans client) by the sealed classes that name their fixture.
/// </summary>
public abstract class SampleGatewayTests<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : SampleGatewayFixture
{
    [Fact]
    public async Task An_allowed_request_reaches_the_upstream_without_the_agents_token()
    {
        var grant = await fixture.Silo.GrantAsync();
        var before = fixture.Upstream.Requests;
        using var response = await SendAsync(HttpMethod.Get, "/projects/42/tickets/7", grant.Token, "allowed");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("upstream GET /projects/42/tickets/7", await response.Content.ReadAsStringAsync());
        Assert.Equal(before + 1, fixture.Upstream.Requests);
        Assert.False(fixture.Upstream.HeadersById["allowed"].ContainsKey("Authorization"));
    }

    [Fact]
    public async Task Requests_without_a_grant_never_reach_the_upstream()
    {
        var grant = await fixture.Silo.GrantAsync(budget: 10);
        var before = fixture.Upstream.Requests;
        var denied = new List<(HttpStatusCode Status, string? Code)>();
        foreach (var (method, path, token) in new (HttpMethod, string, string?)[]
        {
            (HttpMethod.Get, "/projects/42/tickets/7", null),
            (HttpMethod.Get, "/projects/42/tickets/7", grant.Token[..^4] + "AAAA"),
            (HttpMethod.Get, "/projects/43/tickets/7", grant.Token),
            (HttpMethod.Post, "/projects/42/tickets/7/summarize", grant.Token),
            (HttpMethod.Post, "/projects/42/tickets/7/summarize", grant.Token),
        })
        {
            using var response = await SendAsync(method, path, token);
            denied.Add((response.StatusCode, response.IsSuccessStatusCode ? null : await CodeAsync(response)));
        }

        Assert.Equal(
            [
                (HttpStatusCode.Unauthorized, "unauthorized"),
                (HttpStatusCode.Unauthorized, "invalid_token"),
                (HttpStatusCode.Forbidden, "scope_mismatch"),
                (HttpStatusCode.OK, null),
                (HttpStatusCode.Forbidden, "budget_exhausted"),
            ],
            denied);
        Assert.Equal(before + 1, fixture.Upstream.Requests);
    }

    [Fact]
    public async Task A_path_no_route_matches_is_404_and_never_reaches_the_upstream()
    {
        var grant = await fixture.Silo.GrantAsync();
        var before = fixture.Upstream.Requests;
        using var unrouted = await SendAsync(HttpMethod.Get, "/admin/everything", grant.Token);
        using var wrongMethod = await SendAsync(HttpMethod.Delete, "/projects/42/tickets/7", grant.Token);

        Assert.Equal(HttpStatusCode.NotFound, unrouted.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Equal(before, fixture.Upstream.Requests);
    }

    [Fact]
    public async Task After_revoke_wait_returns_the_subtree_is_401_and_the_upstream_sees_nothing_more()
    {
        var root = await fixture.Silo.GrantAsync();
        var child = await fixture.Silo.Admin.WithCredential(root.Token).DelegateAsync(
            root.Grant.Id, new DelegateRequest("summarizer", ["tickets:read@projects/42/**"], TtlSeconds: 600));
        using (var allowed = await SendAsync(HttpMethod.Get, "/projects/42/tickets/7", child.Token))
        {
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        var revoked = await fixture.Silo.Admin.RevokeGrantAndWaitAsync(root.Grant.Id, "test");
        Assert.False(revoked.Propagation!.TimedOut);
        Assert.True(revoked.Propagation.Acked >= 1);
        var before = fixture.Upstream.Requests;

        using var after = await SendAsync(HttpMethod.Get, "/projects/42/tickets/7", child.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal("ancestor_revoked", await CodeAsync(after));
        Assert.Equal(before, fixture.Upstream.Requests);
    }

    [Fact]
    public async Task Hop_by_hop_headers_are_not_forwarded_and_end_to_end_ones_are()
    {
        var grant = await fixture.Silo.GrantAsync();
        using var request = Request(HttpMethod.Get, "/projects/42/tickets/7", grant.Token, "hop-by-hop");
        request.Headers.Connection.Add("X-Hop");
        request.Headers.TryAddWithoutValidation("X-Hop", "this connection only");
        request.Headers.TryAddWithoutValidation("Keep-Alive", "timeout=5");
        request.Headers.TryAddWithoutValidation("Proxy-Authorization", "Basic cHJveHk6c2VjcmV0");
        request.Headers.TryAddWithoutValidation("X-End-To-End", "kept");
        using var response = await fixture.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = fixture.Upstream.HeadersById["hop-by-hop"];
        Assert.Equal("kept", received.GetValueOrDefault("X-End-To-End"));
        foreach (var name in new[] { "Authorization", "Proxy-Authorization", "Keep-Alive", "X-Hop" })
        {
            Assert.False(received.ContainsKey(name), $"{name} reached the upstream.");
        }
    }

    [Fact]
    public async Task A_route_configured_to_forward_the_token_forwards_it_after_the_check()
    {
        var grant = await fixture.Silo.GrantAsync();
        using var allowed = await SendAsync(HttpMethod.Get, "/with-token/projects/42/7", grant.Token, "forwarded");
        using var denied = await SendAsync(HttpMethod.Get, "/with-token/projects/43/7", grant.Token);

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("Bearer " + grant.Token, fixture.Upstream.HeadersById["forwarded"].GetValueOrDefault("Authorization"));
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }

    [Fact]
    public async Task An_action_that_needs_approval_waits_for_a_person_and_reaches_the_upstream_once_approved()
    {
        var grant = await fixture.Silo.Admin.CreateGrantAsync(new CreateGrantRequest(
            "alice", "support-bot", ["tickets:*@projects/42/**", "!tickets:summarize@projects/42/**"], TtlSeconds: 3600));
        var before = fixture.Upstream.Requests;
        using var waiting = await SendAsync(HttpMethod.Post, "/projects/42/tickets/7/summarize", grant.Token);
        var approvalId = waiting.Headers.GetValues("Delegation-Approval").Single();
        var unreached = fixture.Upstream.Requests;
        await fixture.Silo.Admin.ApproveAsync(approvalId, "yes, summarize ticket 7");
        using var retry = Request(HttpMethod.Post, "/projects/42/tickets/7/summarize", grant.Token, "approved");
        retry.Headers.Add("Delegation-Approval", approvalId);
        using var approved = await fixture.Http.SendAsync(retry);
        using var replay = Request(HttpMethod.Post, "/projects/42/tickets/7/summarize", grant.Token);
        replay.Headers.Add("Delegation-Approval", approvalId);
        using var replayed = await fixture.Http.SendAsync(replay);

        Assert.Equal(HttpStatusCode.Forbidden, waiting.StatusCode);
        Assert.Equal(before, unreached);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.True(fixture.Upstream.HeadersById.ContainsKey("approved"));
        Assert.Equal(HttpStatusCode.Forbidden, replayed.StatusCode);
        Assert.Equal(before + 1, fixture.Upstream.Requests);
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string? token, string? testId = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (testId is not null)
        {
            request.Headers.Add("X-Test-Id", testId);
        }

        return request;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, string? testId = null)
    {
        using var request = Request(method, path, token, testId);
        return await fixture.Http.SendAsync(request);
    }

    private static async Task<string?> CodeAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("code").GetString();
    }
}
