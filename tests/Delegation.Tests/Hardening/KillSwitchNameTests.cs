using System.Net.Http.Headers;
using System.Text;
using Delegation.Grants;
using Delegation.Tests.Api;
using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Hardening;

/// <summary>
/// A kill switch reaches exactly the grants that carry the name it was given, whatever characters the name holds,
/// over a real socket (Kestrel decodes paths itself).
/// </summary>
public sealed class KillSwitchNameTests : IAsyncLifetime
{
    private readonly SiloFactory _silo = SiloFactory.With(new SiloFactoryOptions { Kestrel = true });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Theory]
    [InlineData("team/bot")]
    [InlineData("team/")]
    [InlineData("a%2Fb")]
    [InlineData("a%b")]
    [InlineData("50% off")]
    [InlineData("what?x=1#y")]
    [InlineData("émile/ünïcode")]
    public async Task Revoking_an_agent_by_a_name_with_reserved_characters_revokes_its_grants(string suffix)
    {
        var agent = Requests.Unique("agent") + suffix;
        var grant = await _silo.Issuer.CreateGrantAsync(Requests.Root(agent: agent));

        var result = await _silo.Admin.RevokeAgentAsync(agent, "offboarding");

        Assert.Equal((1, 1), (result.Affected, result.Trees));
        Assert.Equal(GrantStatus.Revoked, (await _silo.Admin.GetGrantAsync(grant.Grant.Id)).Status);
    }

    [Theory]
    [InlineData("acme/alice")]
    [InlineData("acme%2Falice")]
    public async Task Revoking_a_user_by_a_name_with_a_slash_revokes_their_grants(string suffix)
    {
        var user = Requests.Unique("user") + suffix;
        var grant = await _silo.Issuer.CreateGrantAsync(Requests.Root(user: user));

        var result = await _silo.Admin.RevokeUserAsync(user);

        Assert.Equal(1, result.Affected);
        Assert.Equal(GrantStatus.Revoked, (await _silo.Admin.GetGrantAsync(grant.Grant.Id)).Status);
    }

    [Fact]
    public async Task An_escaped_slash_and_an_escaped_percent_sign_name_different_agents()
    {
        var prefix = Requests.Unique("team");
        var slash = await _silo.Issuer.CreateGrantAsync(Requests.Root(agent: prefix + "/bot"));
        var percent = await _silo.Issuer.CreateGrantAsync(Requests.Root(agent: prefix + "%2Fbot"));

        var result = await _silo.Admin.RevokeAgentAsync(prefix + "%2Fbot");

        Assert.Equal(1, result.Affected);
        Assert.Equal(GrantStatus.Active, (await _silo.Admin.GetGrantAsync(slash.Grant.Id)).Status);
        Assert.Equal(GrantStatus.Revoked, (await _silo.Admin.GetGrantAsync(percent.Grant.Id)).Status);
    }

    [Theory]
    [InlineData("/v1/agents/x/../team%2Fbot/revoke")]
    [InlineData("/v1/agents/team%2Fbot/%2E/revoke")]
    [InlineData("/v1/agents/team%ZZbot/revoke")]
    [InlineData("/v1/agents/team%C3bot/revoke")]
    public async Task A_kill_switch_path_that_cannot_be_read_exactly_is_refused_and_changes_nothing(string path)
    {
        var grant = await _silo.Issuer.CreateGrantAsync(Requests.Root(agent: "team/bot"));
        var head = await _silo.FeedHeadAsync();

        using var response = await SendRawAsync(path);

        Assert.True((int)response.StatusCode is 400 or 404, $"{(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(GrantStatus.Active, (await _silo.Admin.GetGrantAsync(grant.Grant.Id)).Status);
        Assert.Equal(head, await _silo.FeedHeadAsync());
    }

    private async Task<HttpResponseMessage> SendRawAsync(string path)
    {
        // The path exactly as written: Uri would otherwise normalise dot segments and escapes before sending.
        using var http = new HttpClient { BaseAddress = _silo.Http.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_silo.Http.BaseAddress!.GetLeftPart(UriPartial.Authority) + path, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }))
        {
            Content = new StringContent("{}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestKeys.Admin);
        return await http.SendAsync(request);
    }
}
