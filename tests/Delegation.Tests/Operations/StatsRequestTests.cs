using System.Net;
using Delegation.Api;

namespace Delegation.Tests.Operations;

/// <summary>Who may read stats and find grants, and how a find without exactly one filter is refused; one shared silo.</summary>
public sealed class StatsRequestTests(OpsSiloFixture fixture) : IClassFixture<OpsSiloFixture>
{
    private OpsSilo Silo => fixture.Silo;

    [Theory]
    [InlineData(OpsKeys.Admin, HttpStatusCode.OK)]
    [InlineData(OpsKeys.Issuer, HttpStatusCode.OK)]
    [InlineData(OpsKeys.Enforcer, HttpStatusCode.Forbidden)]
    [InlineData("holder", HttpStatusCode.Forbidden)]
    public async Task Only_admin_and_issuer_keys_may_read_stats_and_find_grants(string credential, HttpStatusCode expected)
    {
        credential = credential == "holder" ? (await Silo.Issuer.CreateGrantAsync(new CreateGrantRequest("alice", "bot", ["tickets:*"], TtlSeconds: 3600))).Token : credential;

        using var stats = await Silo.SendAsync(HttpMethod.Get, "/v1/stats", credential);
        using var find = await Silo.SendAsync(HttpMethod.Get, "/v1/grants?agent=bot", credential);

        Assert.Equal((expected, expected), (stats.StatusCode, find.StatusCode));
    }

    [Theory]
    [InlineData("")]
    [InlineData("?agent=")]
    [InlineData("?agent=&user=")]
    [InlineData("?agent=bot&user=alice")]
    public async Task Find_needs_exactly_one_of_agent_and_user(string query)
    {
        using var response = await Silo.SendAsync(HttpMethod.Get, "/v1/grants" + query, OpsKeys.Issuer);

        await OpsAssert.ProblemAsync(response, 400, ErrorCodes.ValidationFailed);
    }
}
