using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Json;
using Delegation.Api;
using Delegation.Client.AspNetCore;
using Delegation.Tests.Enforcement;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Delegation.Tests.OAuth;

/// <summary>
/// Our JWTs in front of ASP.NET Core's own JwtBearer handler, which discovers our keys from the RFC 8414 metadata, and
/// in front of our gateway middleware; both on Kestrel beside a real silo.
/// </summary>
public sealed class JwtBearerInteropTests : IAsyncLifetime
{
    private readonly OAuthFixture _oauth = new();
    private WebApplication _jwtBearerApi = null!;
    private WebApplication _gateway = null!;
    private HttpClient _toJwtBearer = null!;
    private HttpClient _toGateway = null!;

    public async Task InitializeAsync()
    {
        await _oauth.InitializeAsync();
        var metadata = new Uri(_oauth.Silo.Url, ".well-known/oauth-authorization-server").AbsoluteUri;

        var api = Builder();
        api.Services.AddAuthentication().AddJwtBearer(options =>
        {
            options.MetadataAddress = metadata;
            options.RequireHttpsMetadata = false;
            options.Audience = "tools";
            options.MapInboundClaims = false;
            options.TokenValidationParameters.ValidTypes = ["at+jwt"];
        });
        api.Services.AddAuthorization();
        _jwtBearerApi = api.Build();
        _jwtBearerApi.UseAuthentication();
        _jwtBearerApi.UseAuthorization();
        _jwtBearerApi.MapGet("/projects/{project}/tickets/{id}", (ClaimsPrincipal user) => "jwtbearer ok for " + user.FindFirst("sub")!.Value).RequireAuthorization();
        await _jwtBearerApi.StartAsync();

        var gateway = Builder();
        gateway.Services.AddAgentDelegation(
            enforcer =>
            {
                enforcer.SiloUrls.Add(_oauth.Silo.Url);
                enforcer.Credential = TestSilo.EnforcerKey;
                enforcer.Name = "jwt-gateway";
                enforcer.MaxStaleness = TimeSpan.FromMinutes(10);
                enforcer.AccessTokens.Audience = "tools";
            },
            rules => rules.Rules.Add(new RequestRule { Method = "GET", Path = "/projects/{project}/tickets/{id}", Action = "tickets:read", Resource = "projects/{project}/tickets/{id}" }));
        _gateway = gateway.Build();
        _gateway.UseAgentDelegation();
        _gateway.MapFallback(context => context.Response.WriteAsync("gateway ok"));
        await _gateway.StartAsync();

        _toJwtBearer = new HttpClient { BaseAddress = new Uri(_jwtBearerApi.Urls.Single()) };
        _toGateway = new HttpClient { BaseAddress = new Uri(_gateway.Urls.Single()) };
    }

    public async Task DisposeAsync()
    {
        _toJwtBearer.Dispose();
        _toGateway.Dispose();
        await _gateway.DisposeAsync();
        await _jwtBearerApi.DisposeAsync();
        await _oauth.DisposeAsync();
    }

    [Fact]
    public async Task JwtBearer_discovers_our_keys_by_metadata_and_validates_our_jwt()
    {
        var root = await _oauth.RootAsync();
        var jwt = (await _oauth.ExchangeAsync(root.Token, "tickets:read@projects/42/**", "tools", ("agent", "summarizer"), ("budget", "2"))).AccessToken!;
        var otherAudience = (await _oauth.ExchangeAsync(root.Token, audience: "billing")).AccessToken!;

        using var accepted = await GetAsync(_toJwtBearer, "/projects/42/tickets/7", jwt);
        using var refused = await GetAsync(_toJwtBearer, "/projects/42/tickets/7", otherAudience);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal("jwtbearer ok for alice", await accepted.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task Our_middleware_accepts_our_jwt_within_its_scope_and_audience_only()
    {
        var root = await _oauth.RootAsync();
        var jwt = (await _oauth.ExchangeAsync(root.Token, "tickets:read@projects/42/**", "tools", ("agent", "summarizer"), ("budget", "2"))).AccessToken!;
        var otherAudience = (await _oauth.ExchangeAsync(root.Token, audience: "billing")).AccessToken!;
        var tampered = jwt[..^4] + (jwt[^4] == 'A' ? "BBBB" : "AAAA");

        using var allowed = await GetAsync(_toGateway, "/projects/42/tickets/7", jwt);
        using var outOfScope = await GetAsync(_toGateway, "/projects/43/tickets/7", jwt);
        using var wrongAudience = await GetAsync(_toGateway, "/projects/42/tickets/7", otherAudience);
        using var forged = await GetAsync(_toGateway, "/projects/42/tickets/7", tampered);

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, outOfScope.StatusCode);
        Assert.Equal("scope_mismatch", await CodeAsync(outOfScope));
        Assert.Equal(HttpStatusCode.Unauthorized, wrongAudience.StatusCode);
        Assert.Equal("invalid_token", await CodeAsync(wrongAudience));
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal("invalid_token", await CodeAsync(forged));
    }

    [Fact]
    public async Task A_revoked_grants_jwt_is_denied_by_our_middleware_while_JwtBearer_alone_still_accepts_it()
    {
        var root = await _oauth.RootAsync();
        var jwt = (await _oauth.ExchangeAsync(root.Token, "tickets:read@projects/42/**", "tools", ("agent", "summarizer"), ("budget", "2"))).AccessToken!;
        using (var before = await GetAsync(_toGateway, "/projects/42/tickets/7", jwt))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var revoked = await _oauth.Silo.Admin.RevokeGrantAndWaitAsync(root.Grant.Id, "compromised", TimeSpan.FromSeconds(10));
        Assert.Equal(revoked.Propagation!.Total, revoked.Propagation.Acked);

        using var gateway = await GetAsync(_toGateway, "/projects/42/tickets/7", jwt);
        using var jwtBearer = await GetAsync(_toJwtBearer, "/projects/42/tickets/7", jwt);

        Assert.Equal(HttpStatusCode.Unauthorized, gateway.StatusCode);
        Assert.Equal("ancestor_revoked", await CodeAsync(gateway));
        Assert.Equal(HttpStatusCode.OK, jwtBearer.StatusCode);
    }

    [Fact]
    public async Task A_jwt_for_a_permission_that_needs_approval_waits_and_its_approved_retry_passes_once()
    {
        var root = await _oauth.Silo.Admin.CreateGrantAsync(new CreateGrantRequest(
            "alice", "support-bot", ["tickets:*@projects/**", "!tickets:read@projects/42/**"], Budget: 10, TtlSeconds: 3600));
        var jwt = (await _oauth.ExchangeAsync(root.Token, "tickets:read@projects/42/**", "tools", ("agent", "summarizer"), ("budget", "2"))).AccessToken!;

        using var waiting = await GetAsync(_toGateway, "/projects/42/tickets/7", jwt);
        var approvalId = waiting.Headers.GetValues(AgentAuthorizer.ApprovalHeader).Single();
        await _oauth.Silo.Admin.ApproveAsync(approvalId);
        using var retry = await GetAsync(_toGateway, "/projects/42/tickets/7", jwt, approvalId);
        using var again = await GetAsync(_toGateway, "/projects/42/tickets/7", jwt, approvalId);

        Assert.Equal(HttpStatusCode.Forbidden, waiting.StatusCode);
        Assert.Equal("approval_required", await CodeAsync(waiting));
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
        Assert.Equal("approval_required", await CodeAsync(again));
    }

    private static WebApplicationBuilder Builder()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        return builder;
    }

    private static Task<HttpResponseMessage> GetAsync(HttpClient http, string path, string token, string? approvalId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (approvalId is not null)
        {
            request.Headers.Add(AgentAuthorizer.ApprovalHeader, approvalId);
        }

        return http.SendAsync(request);
    }

    private static async Task<string?> CodeAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("code").GetString();
    }
}
