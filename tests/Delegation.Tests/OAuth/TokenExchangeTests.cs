using System.Net;
using System.Text.Json;
using Delegation.Grants;
using Delegation.Tests.Enforcement;
using Duende.IdentityModel.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Delegation.Tests.OAuth;

/// <summary>RFC 8693 token exchange at <c>POST /oauth2/token</c>, driven by Duende.IdentityModel's token client.</summary>
public sealed class TokenExchangeTests(OAuthFixture oauth) : IClassFixture<OAuthFixture>
{
    [Fact]
    public async Task Exchanging_a_grant_token_creates_a_real_delegation_and_answers_an_at_jwt_whose_act_nests_the_chain()
    {
        var root = await oauth.RootAsync();

        var response = await oauth.ExchangeAsync(root.Token, "tickets:read@projects/42/*", "tools", ("agent", "summarizer"), ("budget", "4"), ("expires_in", "600"));

        Assert.False(response.IsError, response.Error + " " + response.ErrorDescription);
        Assert.Equal("Bearer", response.TokenType);
        Assert.Equal("urn:ietf:params:oauth:token-type:access_token", response.IssuedTokenType);
        Assert.InRange(response.ExpiresIn, 1, 300);
        var childId = response.Json!.Value.GetProperty("grant_id").GetString()!;
        var childToken = response.Json!.Value.GetProperty("grant_token").GetString()!;
        Assert.StartsWith(GrantToken.Prefix + childId + ".", childToken);

        var child = await oauth.Silo.Admin.GetGrantAsync(childId);
        Assert.Equal(root.Grant.Id, child.ParentId);
        Assert.Equal("summarizer", child.Agent);
        Assert.Equal(["tickets:read@projects/42/*"], child.Scope);
        Assert.Equal(4, child.Budget!.Limit);

        var header = OAuthFixture.Header(response.AccessToken!);
        Assert.Equal("at+jwt", header.GetProperty("typ").GetString());
        Assert.Equal("ES256", header.GetProperty("alg").GetString());
        var claims = OAuthFixture.Payload(response.AccessToken!);
        Assert.Equal("alice", claims.GetProperty("sub").GetString());
        Assert.Equal("tools", claims.GetProperty("aud").GetString());
        Assert.Equal(childId, claims.GetProperty("grant_id").GetString());
        Assert.Equal("tickets:read@projects/42/*", claims.GetProperty("scope").GetString());
        Assert.Equal(oauth.Silo.Url.AbsoluteUri.TrimEnd('/'), claims.GetProperty("iss").GetString());
        Assert.Equal("summarizer", claims.GetProperty("act").GetProperty("sub").GetString());
        Assert.Equal("support-bot", claims.GetProperty("act").GetProperty("act").GetProperty("sub").GetString());
        Assert.False(claims.GetProperty("act").GetProperty("act").TryGetProperty("act", out _));
        Assert.True(claims.TryGetProperty("jti", out _));
        Assert.True(claims.GetProperty("exp").GetInt64() > claims.GetProperty("iat").GetInt64());
    }

    [Fact]
    public async Task A_jwt_is_a_subject_token_too_and_the_next_exchange_nests_one_more_actor()
    {
        var root = await oauth.RootAsync();
        var first = await oauth.ExchangeAsync(root.Token, "tickets:*@projects/42/**", "tools", ("agent", "planner"), ("budget", "5"));

        var second = await oauth.ExchangeAsync(first.AccessToken!, "tickets:read@projects/42/7", "https://tools.example/api", ("agent", "reader"), ("budget", "1"));

        Assert.False(second.IsError, second.ErrorDescription);
        var act = OAuthFixture.Payload(second.AccessToken!).GetProperty("act");
        Assert.Equal("reader", act.GetProperty("sub").GetString());
        Assert.Equal("planner", act.GetProperty("act").GetProperty("sub").GetString());
        Assert.Equal("support-bot", act.GetProperty("act").GetProperty("act").GetProperty("sub").GetString());
        var grandchild = await oauth.Silo.Admin.GetGrantAsync(second.Json!.Value.GetProperty("grant_id").GetString()!);
        Assert.Equal(2, grandchild.Depth);
    }

    [Fact]
    public async Task Without_an_agent_the_exchange_answers_a_jwt_for_the_subjects_own_grant_and_creates_nothing()
    {
        var root = await oauth.RootAsync();
        var head = await oauth.Silo.Services.GetRequiredService<Grains.Storage.IEventStore>().GetFeedHeadAsync();

        var response = await oauth.ExchangeAsync(root.Token, audience: "tools");

        Assert.False(response.IsError, response.ErrorDescription);
        Assert.Equal(root.Grant.Id, OAuthFixture.Payload(response.AccessToken!).GetProperty("grant_id").GetString());
        Assert.False(response.Json!.Value.TryGetProperty("grant_token", out _));
        Assert.Equal(head, await oauth.Silo.Services.GetRequiredService<Grains.Storage.IEventStore>().GetFeedHeadAsync());
    }

    [Theory]
    [InlineData("tickets:write@projects/43/1", "invalid_scope", "scope_not_covered")]
    [InlineData("tickets:read@", "invalid_scope", "invalid_scope")]
    public async Task A_scope_the_parent_does_not_cover_is_invalid_scope_and_creates_nothing(string scope, string error, string code)
    {
        var root = await oauth.RootAsync();
        var head = await FeedHeadAsync();

        var response = await oauth.ExchangeAsync(root.Token, scope, "tools", ("agent", "summarizer"), ("budget", "1"));

        AssertError(response, error, code);
        Assert.Equal(head, await FeedHeadAsync());
    }

    [Fact]
    public async Task A_budget_beyond_the_parents_is_invalid_request_with_our_code()
    {
        var root = await oauth.RootAsync(budget: 3);
        var response = await oauth.ExchangeAsync(root.Token, null, "tools", ("agent", "summarizer"), ("budget", "4"));
        AssertError(response, "invalid_request", "budget_exceeds_parent");
    }

    [Fact]
    public async Task A_revoked_or_forged_subject_token_is_invalid_grant()
    {
        var root = await oauth.RootAsync();
        await oauth.Silo.Admin.RevokeGrantAsync(root.Grant.Id, "test");

        AssertError(await oauth.ExchangeAsync(root.Token, null, "tools", ("agent", "summarizer"), ("budget", "1")), "invalid_grant", "parent_not_active");
        AssertError(await oauth.ExchangeAsync(root.Token[..^2] + "xx", null, "tools", ("agent", "x")), "invalid_grant", "unauthorized");
        AssertError(await oauth.ExchangeAsync("eyJhbGciOiJub25lIn0.eyJncmFudF9pZCI6ImdfYWFhYWFhYWFhYWFhYWFhYSJ9.", null, "tools"), "invalid_grant", "unauthorized");
    }

    [Fact]
    public async Task Targets_that_are_not_names_or_absolute_uris_are_invalid_target()
    {
        var root = await oauth.RootAsync();
        using var response = await PostAsync(
            ("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange"), ("subject_token", root.Token),
            ("subject_token_type", "urn:ietf:params:oauth:token-type:access_token"), ("resource", "relative/path"));
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_target");
    }

    [Fact]
    public async Task Another_grant_type_is_unsupported_grant_type()
    {
        var response = await oauth.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = oauth.TokenEndpoint,
            ClientId = "orchestrator",
            ClientSecret = TestSilo.AdminKey,
        });
        Assert.Equal("unsupported_grant_type", response.Error);
    }

    [Fact]
    public async Task Wrong_client_credentials_are_invalid_client_with_a_401()
    {
        var root = await oauth.RootAsync();
        var response = await oauth.Http.RequestTokenExchangeTokenAsync(new TokenExchangeTokenRequest
        {
            Address = oauth.TokenEndpoint,
            ClientId = "orchestrator",
            ClientSecret = "not-a-key-of-this-silo",
            SubjectToken = root.Token,
            SubjectTokenType = "urn:ietf:params:oauth:token-type:access_token",
            Audience = "tools",
        });
        Assert.Equal(HttpStatusCode.Unauthorized, response.HttpStatusCode);
        Assert.Equal("invalid_client", OAuthFixture.Error(response.Raw));
    }

    [Fact]
    public async Task A_missing_audience_or_a_repeated_parameter_is_invalid_request()
    {
        var root = await oauth.RootAsync();
        using var noAudience = await PostAsync(
            ("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange"), ("subject_token", root.Token),
            ("subject_token_type", "urn:ietf:params:oauth:token-type:access_token"));
        await AssertErrorAsync(noAudience, HttpStatusCode.BadRequest, "invalid_request");
        using var twice = await PostAsync(
            ("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange"), ("subject_token", root.Token), ("subject_token", root.Token),
            ("subject_token_type", "urn:ietf:params:oauth:token-type:access_token"), ("audience", "tools"));
        await AssertErrorAsync(twice, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Metadata_and_jwks_are_published_for_discovery()
    {
        using var metadata = JsonDocument.Parse(await oauth.Http.GetStringAsync(new Uri(oauth.Silo.Url, ".well-known/oauth-authorization-server")));
        var issuer = metadata.RootElement.GetProperty("issuer").GetString();
        Assert.Equal(oauth.Silo.Url.AbsoluteUri.TrimEnd('/'), issuer);
        Assert.Equal(oauth.TokenEndpoint, metadata.RootElement.GetProperty("token_endpoint").GetString());
        Assert.Equal(issuer + "/.well-known/jwks.json", metadata.RootElement.GetProperty("jwks_uri").GetString());

        using var jwks = JsonDocument.Parse(await oauth.Http.GetStringAsync(metadata.RootElement.GetProperty("jwks_uri").GetString()));
        var keys = jwks.RootElement.GetProperty("keys").EnumerateArray().ToList();
        Assert.Equal(3, keys.Count);
        Assert.All(keys, key =>
        {
            Assert.Equal("EC", key.GetProperty("kty").GetString());
            Assert.Equal("P-256", key.GetProperty("crv").GetString());
            Assert.False(key.TryGetProperty("d", out _));
        });

        var root = await oauth.RootAsync();
        var token = (await oauth.ExchangeAsync(root.Token)).AccessToken!;
        Assert.Equal(keys[1].GetProperty("kid").GetString(), OAuthFixture.Header(token).GetProperty("kid").GetString());
    }

    private Task<long> FeedHeadAsync() => oauth.Silo.Services.GetRequiredService<Grains.Storage.IEventStore>().GetFeedHeadAsync();

    private Task<HttpResponseMessage> PostAsync(params (string Name, string Value)[] form) =>
        oauth.Http.PostAsync(oauth.TokenEndpoint, new FormUrlEncodedContent(form.Select(p => new KeyValuePair<string, string>(p.Name, p.Value))));

    private static void AssertError(TokenResponse response, string error, string code)
    {
        Assert.True(response.IsError);
        Assert.Equal(HttpStatusCode.BadRequest, response.HttpStatusCode);
        Assert.Equal(error, response.Error);
        Assert.Equal(code, response.Json!.Value.GetProperty("code").GetString());
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(error, body.RootElement.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(body.RootElement.GetProperty("error_description").GetString()));
    }
}
