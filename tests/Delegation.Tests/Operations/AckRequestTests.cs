using System.Net;
using System.Text.Json;
using Delegation.Api;

namespace Delegation.Tests.Operations;

/// <summary>
/// Refused requests around acknowledgements and waits: bad <c>wait</c>/<c>timeoutMs</c> values change nothing, bad
/// acknowledgements register nothing, and only enforcers and admins acknowledge. The tests share one silo; each
/// makes its own grants and compares the silo before and after.
/// </summary>
public sealed class AckRequestTests(OpsSiloFixture fixture) : IClassFixture<OpsSiloFixture>
{
    private OpsSilo Silo => fixture.Silo;

    [Theory]
    [InlineData("revoke", "wait=maybe")]
    [InlineData("revoke", "wait=1")]
    [InlineData("revoke", "wait=true&timeoutMs=0")]
    [InlineData("revoke", "wait=true&timeoutMs=-1")]
    [InlineData("revoke", "wait=true&timeoutMs=abc")]
    [InlineData("revoke", "wait=true&timeoutMs=60001")]
    [InlineData("revoke", "timeoutMs=0")]
    [InlineData("suspend", "wait=yes")]
    [InlineData("suspend", "wait=true&timeoutMs=1.5")]
    [InlineData("resume", "wait=true&timeoutMs=0")]
    public async Task A_bad_wait_or_timeout_is_a_400_and_changes_nothing(string change, string query)
    {
        var root = await RootAsync();
        if (change == "resume")
        {
            await Silo.Issuer.SuspendGrantAsync(root.Grant.Id);
        }

        var head = (await EnforcersAsync()).Head;
        var before = await Silo.Admin.GetGrantAsync(root.Grant.Id);
        var samples = (await StatsAsync()).Propagation.Count;

        using var response = await Silo.SendAsync(HttpMethod.Post, $"/v1/grants/{root.Grant.Id}/{change}?{query}", OpsKeys.Issuer, """{"reason":"test"}""");

        await OpsAssert.ProblemAsync(response, 400, ErrorCodes.ValidationFailed);
        Assert.Equal(head, (await EnforcersAsync()).Head);
        Assert.Equal(Json(before), Json(await Silo.Admin.GetGrantAsync(root.Grant.Id)));
        Assert.Equal(samples, (await StatsAsync()).Propagation.Count);
    }

    [Theory]
    [InlineData("""{"seq":1}""")]
    [InlineData("""{"enforcer":"e-bad"}""")]
    [InlineData("""{"enforcer":"e-bad","seq":-1}""")]
    [InlineData("""{"enforcer":"","seq":1}""")]
    [InlineData("""{"enforcer":"  ","seq":1}""")]
    [InlineData("""{"enforcer":"e\u0001","seq":1}""")]
    [InlineData("""{"enforcer":"e-bad","seq":"one"}""")]
    [InlineData("")]
    public async Task A_bad_acknowledgement_is_a_400_and_registers_nothing(string body)
    {
        var before = (await EnforcersAsync()).Enforcers;

        using var response = await Silo.SendAsync(HttpMethod.Post, "/v1/enforcers/ack", OpsKeys.Enforcer, body);

        await OpsAssert.ProblemAsync(response, 400, ErrorCodes.ValidationFailed);
        Assert.Equal(before.Select(e => (e.Name, e.AckedSeq)), (await EnforcersAsync()).Enforcers.Select(e => (e.Name, e.AckedSeq)));
    }

    [Theory]
    [InlineData(OpsKeys.Enforcer, HttpStatusCode.NoContent, HttpStatusCode.OK)]
    [InlineData(OpsKeys.Admin, HttpStatusCode.NoContent, HttpStatusCode.OK)]
    [InlineData(OpsKeys.Issuer, HttpStatusCode.Forbidden, HttpStatusCode.OK)]
    [InlineData("holder", HttpStatusCode.Forbidden, HttpStatusCode.Forbidden)]
    [InlineData(null, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized)]
    public async Task Only_enforcers_and_admins_acknowledge_and_holders_may_not_list_enforcers(string? credential, HttpStatusCode ack, HttpStatusCode list)
    {
        credential = credential == "holder" ? (await RootAsync()).Token : credential;
        var name = $"e-auth-{Guid.NewGuid():N}";
        await using var feed = await FeedConnection.OpenAsync(Silo, $"enforcer={name}", credential is OpsKeys.Admin ? OpsKeys.Admin : OpsKeys.Enforcer);

        using var acked = await Silo.SendAsync(HttpMethod.Post, "/v1/enforcers/ack", credential, $$"""{"enforcer":"{{name}}","seq":0,"connection":"{{feed.Id}}"}""");
        using var listed = await Silo.SendAsync(HttpMethod.Get, "/v1/enforcers", credential);

        Assert.Equal((ack, list), (acked.StatusCode, listed.StatusCode));
    }

    [Theory]
    [InlineData("enforcer=%01")]
    [InlineData("enforcer=%20%20")]
    [InlineData("enforcer=long")]
    public async Task A_feed_stream_with_a_bad_enforcer_name_is_a_400_and_registers_nothing(string query)
    {
        var before = (await EnforcersAsync()).Enforcers.Count;

        using var response = await Silo.SendAsync(HttpMethod.Get, "/v1/feed?" + query.Replace("long", new string('e', 257), StringComparison.Ordinal), OpsKeys.Enforcer);

        await OpsAssert.ProblemAsync(response, 400, ErrorCodes.ValidationFailed);
        Assert.Equal(before, (await EnforcersAsync()).Enforcers.Count);
    }

    private Task<GrantCreatedResponse> RootAsync() =>
        Silo.Issuer.CreateGrantAsync(new CreateGrantRequest("alice", "support-bot", ["tickets:*"], Budget: 100, TtlSeconds: 3600));

    private Task<EnforcersResponse> EnforcersAsync() =>
        Silo.GetJsonAsync("/v1/enforcers", OpsKeys.Issuer, DelegationJsonContext.Default.EnforcersResponse);

    private static string Json(GrantView view) => JsonSerializer.Serialize(view, DelegationJsonContext.Default.GrantView);

    private Task<SiloStats> StatsAsync() => Silo.GetJsonAsync("/v1/stats", OpsKeys.Admin, DelegationJsonContext.Default.SiloStats);
}
