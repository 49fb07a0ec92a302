using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Delegation.Client.AspNetCore;
using Delegation.Tests.Enforcement;
using Duende.IdentityModel.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Delegation.Tests.OAuth;

/// <summary>DPoP (RFC 9449): a proof on the exchange binds the token; our middleware then wants a proof by that key.</summary>
public sealed class DpopTests : IAsyncLifetime
{
    private readonly OAuthFixture _oauth = new();
    private readonly DpopKey _key = new();
    private WebApplication _gateway = null!;
    private HttpClient _toGateway = null!;
    private string _url = null!;

    public async Task InitializeAsync()
    {
        await _oauth.InitializeAsync();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddAgentDelegation(
            enforcer =>
            {
                enforcer.SiloUrls.Add(_oauth.Silo.Url);
                enforcer.Credential = TestSilo.EnforcerKey;
                enforcer.Name = "dpop-gateway";
                enforcer.MaxStaleness = TimeSpan.FromMinutes(10);
                enforcer.AccessTokens.Audience = "tools";
            },
            rules => rules.Rules.Add(new RequestRule { Method = "GET", Path = "/projects/{project}/tickets/{id}", Action = "tickets:read", Resource = "projects/{project}/tickets/{id}" }));
        _gateway = builder.Build();
        _gateway.UseAgentDelegation();
        _gateway.MapFallback(context => context.Response.WriteAsync("gateway ok"));
        await _gateway.StartAsync();
        _toGateway = new HttpClient { BaseAddress = new Uri(_gateway.Urls.Single()) };
        _url = new Uri(_toGateway.BaseAddress, "/projects/42/tickets/7").AbsoluteUri;
    }

    public async Task DisposeAsync()
    {
        _toGateway.Dispose();
        await _gateway.DisposeAsync();
        await _oauth.DisposeAsync();
        _key.Dispose();
    }

    [Fact]
    public async Task A_proof_on_the_exchange_binds_the_token_to_the_keys_thumbprint()
    {
        var response = await BoundExchangeAsync();

        Assert.False(response.IsError, response.ErrorDescription);
        Assert.Equal("DPoP", response.TokenType);
        var jkt = OAuthFixture.Payload(response.AccessToken!).GetProperty("cnf").GetProperty("jkt").GetString();
        Assert.False(string.IsNullOrEmpty(jkt));
        var introspected = await _oauth.Http.IntrospectTokenAsync(new TokenIntrospectionRequest
        {
            Address = _oauth.IntrospectionEndpoint, ClientId = "gw", ClientSecret = TestSilo.EnforcerKey, Token = response.AccessToken!,
        });
        Assert.Equal(jkt, introspected.Json!.Value.GetProperty("cnf").GetProperty("jkt").GetString());
    }

    [Fact]
    public async Task A_bad_proof_on_the_exchange_is_invalid_dpop_proof_and_creates_nothing()
    {
        var root = await _oauth.RootAsync();
        var head = await _oauth.Silo.Services.GetRequiredService<Grains.Storage.IEventStore>().GetFeedHeadAsync();
        var wrongUrl = _key.Proof("POST", "https://elsewhere.example/oauth2/token");

        var response = await ExchangeAsync(root.Token, wrongUrl, ("agent", "summarizer"), ("budget", "1"));

        Assert.Equal("invalid_dpop_proof", response.Error);
        Assert.Equal(head, await _oauth.Silo.Services.GetRequiredService<Grains.Storage.IEventStore>().GetFeedHeadAsync());
    }

    [Fact]
    public async Task The_gateway_allows_a_bound_token_only_with_a_fresh_proof_by_its_key_for_this_request()
    {
        var token = (await BoundExchangeAsync()).AccessToken!;
        using var other = new DpopKey();
        var proof = _key.Proof("GET", _url, token);

        using var allowed = await SendAsync("DPoP", token, proof);
        using var replayed = await SendAsync("DPoP", token, proof);
        using var asBearer = await SendAsync("Bearer", token, null);
        using var noProof = await SendAsync("DPoP", token, null);
        using var otherKey = await SendAsync("DPoP", token, other.Proof("GET", _url, token));
        using var otherMethod = await SendAsync("DPoP", token, _key.Proof("POST", _url, token));
        using var stale = await SendAsync("DPoP", token, _key.Proof("GET", _url, token, DateTimeOffset.UtcNow.AddMinutes(-5)));
        using var otherToken = await SendAsync("DPoP", token, _key.Proof("GET", _url, "another-token"));

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        foreach (var denied in new[] { replayed, asBearer, noProof, otherKey, otherMethod, stale, otherToken })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
            using var body = JsonDocument.Parse(await denied.Content.ReadAsStringAsync());
            Assert.Equal("invalid_token", body.RootElement.GetProperty("code").GetString());
        }

        Assert.StartsWith("DPoP ", noProof.Headers.WwwAuthenticate.ToString());
        Assert.StartsWith("Bearer ", asBearer.Headers.WwwAuthenticate.ToString());
    }

    private async Task<TokenResponse> BoundExchangeAsync()
    {
        var root = await _oauth.RootAsync();
        return await ExchangeAsync(root.Token, _key.Proof("POST", _oauth.TokenEndpoint), ("agent", "summarizer"), ("budget", "2"));
    }

    private Task<TokenResponse> ExchangeAsync(string subject, string proof, params (string Name, string Value)[] parameters)
    {
        var request = new TokenExchangeTokenRequest
        {
            Address = _oauth.TokenEndpoint,
            ClientCredentialStyle = ClientCredentialStyle.PostBody,
            SubjectToken = subject,
            SubjectTokenType = "urn:ietf:params:oauth:token-type:access_token",
            Scope = "tickets:read@projects/42/**",
            Audience = "tools",
            DPoPProofToken = proof,
        };
        foreach (var (name, value) in parameters)
        {
            request.Parameters.Add(name, value);
        }

        return _oauth.Http.RequestTokenExchangeTokenAsync(request);
    }

    private Task<HttpResponseMessage> SendAsync(string scheme, string token, string? proof)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _url);
        request.Headers.Authorization = new AuthenticationHeaderValue(scheme, token);
        if (proof is not null)
        {
            request.Headers.Add("DPoP", proof);
        }

        return _toGateway.SendAsync(request);
    }
}
