using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Delegation.Api;
using Delegation.Client.AspNetCore;
using Delegation.Tests.Enforcement;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Delegation.Tests.Gateway;

/// <summary>The gateway integration through real HTTP requests: a silo and a gateway, both on Kestrel over loopback.</summary>
public sealed class GatewayTests : IAsyncLifetime
{
    private TestSilo _silo = null!;
    private WebApplication _gateway = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _silo = await TestSilo.StartAsync();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddAgentDelegation(
            enforcer =>
            {
                enforcer.SiloUrls.Add(_silo.Url);
                enforcer.Credential = TestSilo.EnforcerKey;
                enforcer.Name = "gateway-under-test";
                enforcer.MaxStaleness = TimeSpan.FromMinutes(10);
            },
            rules =>
            {
                rules.Rules.Add(new RequestRule { Method = "POST", Path = "/projects/{project}/tickets/{id}/summarize", Action = "tickets:summarize", Resource = "projects/{project}/tickets/{id}", Cost = 10 });
                rules.Rules.Add(new RequestRule { Method = "GET", Path = "/projects/{project}/tickets/{id}", Action = "tickets:read", Resource = "projects/{project}/tickets/{id}" });
            });
        _gateway = builder.Build();
        _gateway.MapGet("/direct/projects/{project}/tickets/{id}", (HttpContext context) =>
                Results.Text("grant " + context.Features.Get<AgentDecisionFeature>()!.Decision.GrantId))
            .RequireAgentDelegation("tickets:read", "projects/{project}/tickets/{id}");
        _gateway.MapGet("/meta/projects/{project}/tickets/{id}", (HttpContext context) =>
                Results.Text("checked " + context.Features.Get<AgentDecisionFeature>()!.Resource))
            .WithMetadata(new AgentDelegationRequirement("tickets:read", "projects/{project}/tickets/{id}"));
        _gateway.UseWhen(c => !c.Request.Path.StartsWithSegments("/direct"), branch => branch.UseAgentDelegation());
        _gateway.MapFallback(context => context.Response.WriteAsync("upstream " + context.Request.Path));
        await _gateway.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_gateway.Urls.Single()) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _gateway.DisposeAsync();
        await _silo.DisposeAsync();
    }

    [Fact]
    public async Task An_endpoint_filter_lets_an_allowed_request_through_with_the_decision()
    {
        var grant = await _silo.GrantAsync();
        using var response = await SendAsync(HttpMethod.Get, "/direct/projects/42/tickets/7", grant.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("grant " + grant.Grant.Id, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_middleware_checks_an_endpoint_by_its_requirement_metadata_before_any_rule()
    {
        var grant = await _silo.GrantAsync();
        using var allowed = await SendAsync(HttpMethod.Get, "/meta/projects/42/tickets/7", grant.Token);
        using var denied = await SendAsync(HttpMethod.Get, "/meta/projects/43/tickets/7", grant.Token);

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("checked projects/42/tickets/7", await allowed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal("scope_mismatch", await CodeAsync(denied));
    }

    [Fact]
    public async Task A_request_outside_the_scope_is_403_insufficient_scope_with_a_problem()
    {
        var grant = await _silo.GrantAsync();
        using var response = await SendAsync(HttpMethod.Get, "/projects/43/tickets/7", grant.Token);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("error=\"insufficient_scope\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal("scope_mismatch", await CodeAsync(response));
    }

    [Fact]
    public async Task A_request_beyond_the_grants_rate_is_429_rate_limited_with_a_retry_after_in_seconds()
    {
        var grant = await _silo.Admin.CreateGrantAsync(new CreateGrantRequest(
            "alice", "support-bot", ["tickets:*@projects/42/**"], TtlSeconds: 3600, Rate: new Grants.RateLimit(2, 60)));
        using var first = await SendAsync(HttpMethod.Get, "/projects/42/tickets/7", grant.Token);
        using var second = await SendAsync(HttpMethod.Get, "/projects/42/tickets/7", grant.Token);
        using var limited = await SendAsync(HttpMethod.Get, "/projects/42/tickets/7", grant.Token);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        Assert.Equal((HttpStatusCode)429, limited.StatusCode);
        Assert.InRange(limited.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30));
        Assert.Equal("rate_limited", await CodeAsync(limited));
    }

    [Fact]
    public async Task A_request_that_needs_approval_is_403_with_the_approval_id_and_its_approved_retry_passes_once()
    {
        var grant = await _silo.Admin.CreateGrantAsync(new CreateGrantRequest(
            "alice", "support-bot", ["tickets:*@projects/42/**", "!tickets:summarize@projects/42/**"], Budget: 100, TtlSeconds: 3600));
        using var waiting = await SendAsync(HttpMethod.Post, "/projects/42/tickets/7/summarize", grant.Token);
        var approvalId = waiting.Headers.GetValues(AgentAuthorizer.ApprovalHeader).Single();
        await _silo.Admin.ApproveAsync(approvalId);
        using var retry = await SendAsync(HttpMethod.Post, "/projects/42/tickets/7/summarize", grant.Token, approvalId);
        using var again = await SendAsync(HttpMethod.Post, "/projects/42/tickets/7/summarize", grant.Token, approvalId);

        Assert.Equal(HttpStatusCode.Forbidden, waiting.StatusCode);
        Assert.Equal("approval_required", await CodeAsync(waiting));
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
        Assert.NotEqual(approvalId, again.Headers.GetValues(AgentAuthorizer.ApprovalHeader).Single());
    }

    [Fact]
    public async Task A_request_without_a_grant_token_is_401_with_a_bearer_challenge()
    {
        using var response = await SendAsync(HttpMethod.Get, "/projects/42/tickets/7", token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("unauthorized", await CodeAsync(response));
    }

    [Fact]
    public async Task A_forged_token_is_401_invalid_token()
    {
        var grant = await _silo.GrantAsync();
        var forged = grant.Token[..^4] + "AAAA";
        using var response = await SendAsync(HttpMethod.Get, "/projects/42/tickets/7", forged);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal("invalid_token", await CodeAsync(response));
    }

    [Fact]
    public async Task After_revoke_wait_returns_the_gateway_answers_401_revoked_for_the_subtree()
    {
        var root = await _silo.GrantAsync();
        var child = await _silo.Admin.WithCredential(root.Token).DelegateAsync(
            root.Grant.Id, new DelegateRequest("summarizer", ["tickets:read@projects/42/**"], TtlSeconds: 600));
        using (var before = await SendAsync(HttpMethod.Get, "/projects/42/tickets/7", child.Token))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
            Assert.Equal("upstream /projects/42/tickets/7", await before.Content.ReadAsStringAsync());
        }

        var revoked = await _silo.Admin.RevokeGrantAndWaitAsync(root.Grant.Id, "test");
        Assert.NotNull(revoked.Propagation);
        Assert.False(revoked.Propagation!.TimedOut);
        Assert.True(revoked.Propagation.Acked >= 1);

        using var after = await SendAsync(HttpMethod.Get, "/projects/42/tickets/7", child.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains("error_description=\"ancestor_revoked\"", after.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal("ancestor_revoked", await CodeAsync(after));
    }

    [Fact]
    public async Task A_costly_rule_spends_the_budget_and_then_answers_403_budget_exhausted()
    {
        var grant = await _silo.Admin.CreateGrantAsync(new CreateGrantRequest("alice", "bot", ["tickets:*@projects/42/**"], Budget: 25, TtlSeconds: 600));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await SendAsync(HttpMethod.Post, "/projects/42/tickets/7/summarize", grant.Token);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.Forbidden)
            {
                Assert.Equal("budget_exhausted", await CodeAsync(response));
            }
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Forbidden], statuses);
    }

    [Fact]
    public async Task A_request_no_rule_covers_is_denied()
    {
        var grant = await _silo.GrantAsync();
        using var response = await SendAsync(HttpMethod.Delete, "/projects/42/tickets/7", grant.Token);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("forbidden", await CodeAsync(response));
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, string? approvalId = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (approvalId is not null)
        {
            request.Headers.Add(AgentAuthorizer.ApprovalHeader, approvalId);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await _http.SendAsync(request);
    }

    private static async Task<string?> CodeAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("code").GetString();
    }
}
