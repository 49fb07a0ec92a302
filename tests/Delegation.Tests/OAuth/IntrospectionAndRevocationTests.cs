using System.Net;
using Delegation.Grants;
using Delegation.Tests.Enforcement;
using Duende.IdentityModel.Client;

namespace Delegation.Tests.OAuth;

/// <summary>RFC 7662 introspection and RFC 7009 revocation, driven by Duende.IdentityModel's clients.</summary>
public sealed class IntrospectionAndRevocationTests(OAuthFixture oauth) : IClassFixture<OAuthFixture>
{
    [Fact]
    public async Task An_enforcer_key_introspects_a_jwt_as_active_with_the_grants_scope_person_agents_and_budget()
    {
        var root = await oauth.RootAsync(budget: 10);
        var exchanged = await oauth.ExchangeAsync(root.Token, "tickets:read@projects/42/*", "tools", ("agent", "summarizer"), ("budget", "4"));

        var answer = await IntrospectAsync(exchanged.AccessToken!, TestSilo.EnforcerKey);

        Assert.False(answer.IsError, answer.Error);
        Assert.True(answer.IsActive);
        var json = answer.Json!.Value;
        Assert.Equal("tickets:read@projects/42/*", json.GetProperty("scope").GetString());
        Assert.Equal("alice", json.GetProperty("sub").GetString());
        Assert.Equal("summarizer", json.GetProperty("client_id").GetString());
        Assert.Equal("summarizer", json.GetProperty("act").GetProperty("sub").GetString());
        Assert.Equal("support-bot", json.GetProperty("act").GetProperty("act").GetProperty("sub").GetString());
        Assert.Equal(4, json.GetProperty("budget_remaining").GetInt64());
        Assert.Equal(exchanged.Json!.Value.GetProperty("grant_id").GetString(), json.GetProperty("grant_id").GetString());
        Assert.Equal("tools", json.GetProperty("aud")[0].GetString());
        Assert.True(json.GetProperty("exp").GetInt64() > 0);
    }

    [Fact]
    public async Task A_grant_token_introspects_too_and_turns_inactive_when_an_ancestor_is_revoked_or_suspended()
    {
        var root = await oauth.RootAsync();
        var child = await oauth.Silo.DelegateAsync(root, budget: 2);
        Assert.True((await IntrospectAsync(child.Token, TestSilo.AdminKey)).IsActive);

        await oauth.Silo.Admin.SuspendGrantAsync(root.Grant.Id);
        var suspended = await IntrospectAsync(child.Token, TestSilo.AdminKey);
        await oauth.Silo.Admin.ResumeGrantAsync(root.Grant.Id);
        Assert.True((await IntrospectAsync(child.Token, TestSilo.AdminKey)).IsActive);
        await oauth.Silo.Admin.RevokeGrantAsync(root.Grant.Id);
        var revoked = await IntrospectAsync(child.Token, TestSilo.AdminKey);

        Assert.False(suspended.IsActive);
        Assert.False(revoked.IsActive);
        Assert.Equal(["active"], revoked.Json!.Value.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Unknown_and_malformed_tokens_are_inactive()
    {
        Assert.False((await IntrospectAsync("dgt_g_aaaaaaaaaaaaaaaa.secret", TestSilo.EnforcerKey)).IsActive);
        Assert.False((await IntrospectAsync("eyJhbGciOiJFUzI1NiJ9.e30.AAAA", TestSilo.EnforcerKey)).IsActive);
        Assert.False((await IntrospectAsync("anything", TestSilo.EnforcerKey)).IsActive);
    }

    [Fact]
    public async Task Introspection_needs_an_enforcer_issuer_or_admin_key()
    {
        var root = await oauth.RootAsync();
        var wrongKey = await IntrospectAsync(root.Token, "not-a-key-of-this-silo");
        var grantToken = await IntrospectAsync(root.Token, root.Token);
        using var anonymous = await oauth.Http.PostAsync(oauth.IntrospectionEndpoint, new FormUrlEncodedContent([new("token", root.Token)]));

        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.HttpStatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, grantToken.HttpStatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("invalid_client", await anonymous.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Revoking_a_jwt_with_the_admin_key_revokes_its_grant_and_the_subtree()
    {
        var root = await oauth.RootAsync();
        var exchanged = await oauth.ExchangeAsync(root.Token, null, "tools", ("agent", "planner"), ("budget", "5"));
        var planner = exchanged.Json!.Value.GetProperty("grant_id").GetString()!;
        var below = await oauth.ExchangeAsync(exchanged.AccessToken!, null, "tools", ("agent", "reader"), ("budget", "1"));

        var response = await oauth.Http.RevokeTokenAsync(new TokenRevocationRequest
        {
            Address = oauth.RevocationEndpoint,
            ClientId = "ops",
            ClientSecret = TestSilo.AdminKey,
            Token = exchanged.AccessToken!,
            TokenTypeHint = "access_token",
        });

        Assert.False(response.IsError, response.Error);
        Assert.Equal(GrantStatus.Revoked, (await oauth.Silo.Admin.GetGrantAsync(planner)).Status);
        var reader = await oauth.Silo.Admin.GetGrantAsync(below.Json!.Value.GetProperty("grant_id").GetString()!);
        Assert.Equal(DenyReason.AncestorRevoked, reader.EffectiveReason);
        Assert.Equal(GrantStatus.Active, (await oauth.Silo.Admin.GetGrantAsync(root.Grant.Id)).Status);
        Assert.False((await IntrospectAsync(below.AccessToken!, TestSilo.EnforcerKey)).IsActive);
    }

    [Fact]
    public async Task A_grant_token_revokes_itself_without_client_authentication_and_unknown_tokens_answer_200()
    {
        var root = await oauth.RootAsync();
        var child = await oauth.Silo.DelegateAsync(root, budget: 2);

        var self = await oauth.Http.RevokeTokenAsync(new TokenRevocationRequest { Address = oauth.RevocationEndpoint, ClientId = "summarizer", ClientCredentialStyle = ClientCredentialStyle.PostBody, Token = child.Token });
        var unknown = await oauth.Http.RevokeTokenAsync(new TokenRevocationRequest { Address = oauth.RevocationEndpoint, ClientId = "ops", ClientSecret = TestSilo.AdminKey, Token = "dgt_g_aaaaaaaaaaaaaaaa.nope" });

        Assert.False(self.IsError, self.Error);
        Assert.Equal(GrantStatus.Revoked, (await oauth.Silo.Admin.GetGrantAsync(child.Grant.Id)).Status);
        Assert.Equal(GrantStatus.Active, (await oauth.Silo.Admin.GetGrantAsync(root.Grant.Id)).Status);
        Assert.False(unknown.IsError, unknown.Error);
    }

    [Fact]
    public async Task Revoking_a_jwt_without_a_key_or_with_an_enforcer_key_is_refused_and_changes_nothing()
    {
        var root = await oauth.RootAsync();
        var jwt = (await oauth.ExchangeAsync(root.Token)).AccessToken!;

        var anonymous = await oauth.Http.RevokeTokenAsync(new TokenRevocationRequest { Address = oauth.RevocationEndpoint, ClientId = "x", ClientCredentialStyle = ClientCredentialStyle.PostBody, Token = jwt });
        var enforcer = await oauth.Http.RevokeTokenAsync(new TokenRevocationRequest { Address = oauth.RevocationEndpoint, ClientId = "gw", ClientSecret = TestSilo.EnforcerKey, Token = jwt });

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.HttpStatusCode);
        Assert.Equal("invalid_client", OAuthFixture.Error(anonymous.Raw));
        Assert.Equal("unauthorized_client", enforcer.Error);
        Assert.Equal(GrantStatus.Active, (await oauth.Silo.Admin.GetGrantAsync(root.Grant.Id)).Status);
    }

    private Task<TokenIntrospectionResponse> IntrospectAsync(string token, string key) =>
        oauth.Http.IntrospectTokenAsync(new TokenIntrospectionRequest
        {
            Address = oauth.IntrospectionEndpoint,
            ClientId = "gateway",
            ClientSecret = key,
            Token = token,
        });
}
