using System.Net;
using System.Text.Json;
using Delegation.Api;
using Delegation.Grants;

namespace Delegation.Tests.Operations;

/// <summary>
/// Who may read the audit log and report decisions, and how bad audit parameters and decision batches are refused.
/// The tests share one silo; each makes its own grants and measures the log before and after.
/// </summary>
public sealed class AuditRequestTests(OpsSiloFixture fixture) : IClassFixture<OpsSiloFixture>
{
    private static readonly DateTimeOffset ReportedAt = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private OpsSilo Silo => fixture.Silo;

    [Theory]
    [InlineData(OpsKeys.Admin, HttpStatusCode.OK)]
    [InlineData(OpsKeys.Issuer, HttpStatusCode.OK)]
    [InlineData(OpsKeys.Enforcer, HttpStatusCode.Forbidden)]
    [InlineData("holder", HttpStatusCode.Forbidden)]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    public async Task Only_admin_and_issuer_keys_may_read_the_audit_log(string? credential, HttpStatusCode expected)
    {
        credential = credential == "holder" ? await HolderTokenAsync() : credential;

        using var page = await Silo.SendAsync(HttpMethod.Get, "/v1/audit", credential);
        using var export = await Silo.SendAsync(HttpMethod.Get, "/v1/audit?format=jsonl", credential);

        Assert.Equal((expected, expected), (page.StatusCode, export.StatusCode));
        if (expected != HttpStatusCode.OK)
        {
            var code = expected == HttpStatusCode.Forbidden ? ErrorCodes.Forbidden : ErrorCodes.Unauthorized;
            await OpsAssert.ProblemAsync(page, (int)expected, code);
            await OpsAssert.ProblemAsync(export, (int)expected, code);
        }
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=5000")]
    [InlineData("limit=1001")]
    [InlineData("limit=-1")]
    [InlineData("limit=ten")]
    [InlineData("decision=maybe")]
    [InlineData("decision=ALLOW")]
    [InlineData("from=garbage")]
    [InlineData("to=yesterday")]
    [InlineData("format=csv")]
    [InlineData("format=csv&limit=10")]
    [InlineData("format=jsonl&limit=0")]
    [InlineData("cursor=abc")]
    [InlineData("cursor=-5")]
    [InlineData("subtree=yes")]
    public async Task Bad_audit_parameters_are_a_400_problem(string query)
    {
        using var response = await Silo.SendAsync(HttpMethod.Get, "/v1/audit?" + query, OpsKeys.Issuer);

        await OpsAssert.ProblemAsync(response, 400, ErrorCodes.ValidationFailed);
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"decisions":null}""")]
    [InlineData("""{"decisions":[]}""")]
    [InlineData("""{"decisions":[null]}""")]
    [InlineData("""{"decisions":[{"time":"2030-01-01T00:00:00Z","chain":[],"cost":0,"decision":"deny","enforcer":"e1","latencyMicros":1}]}""")]
    [InlineData("""{"decisions":[{"time":"2030-01-01T00:00:00Z","chain":[],"action":"","cost":0,"decision":"deny","enforcer":"e1","latencyMicros":1}]}""")]
    [InlineData("""{"decisions":[{"time":"2030-01-01T00:00:00Z","chain":[],"action":"a:b","cost":0,"decision":"deny","latencyMicros":1}]}""")]
    [InlineData("""{"decisions":[{"time":"2030-01-01T00:00:00Z","action":"a:b","cost":0,"decision":"deny","enforcer":"e1","latencyMicros":1}]}""")]
    [InlineData("""{"decisions":[{"time":"2030-01-01T00:00:00Z","chain":[],"action":"a:b","cost":0,"decision":"maybe","enforcer":"e1","latencyMicros":1}]}""")]
    [InlineData("""{"decisions":[""")]
    [InlineData("")]
    public async Task A_bad_decision_batch_is_a_400_and_records_nothing(string body)
    {
        var good = JsonSerializer.Serialize(Reported("a", "files:read"), DelegationJsonContext.Default.DecisionRecord);

        // The same bad entry after a good one: the batch is refused whole.
        var withGood = body.StartsWith("""{"decisions":[{""", StringComparison.Ordinal) ? body.Replace("[{", $"[{good},{{", StringComparison.Ordinal) : body;
        var before = await CountAsync();
        using var alone = await Silo.SendAsync(HttpMethod.Post, "/v1/decisions", OpsKeys.Enforcer, body);
        using var mixed = await Silo.SendAsync(HttpMethod.Post, "/v1/decisions", OpsKeys.Enforcer, withGood);

        await OpsAssert.ProblemAsync(alone, 400, ErrorCodes.ValidationFailed);
        await OpsAssert.ProblemAsync(mixed, 400, ErrorCodes.ValidationFailed);
        Assert.Equal(before, await CountAsync());
    }

    [Theory]
    [InlineData(OpsKeys.Admin, HttpStatusCode.Accepted)]
    [InlineData(OpsKeys.Enforcer, HttpStatusCode.Accepted)]
    [InlineData(OpsKeys.Issuer, HttpStatusCode.Forbidden)]
    [InlineData("holder", HttpStatusCode.Forbidden)]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    public async Task Only_enforcer_and_admin_keys_may_report_decisions(string? credential, HttpStatusCode expected)
    {
        credential = credential == "holder" ? await HolderTokenAsync() : credential;
        var before = await CountAsync();
        var batch = new DecisionBatch([Reported("a", "files:read")]);

        using var response = await Silo.SendAsync(
            HttpMethod.Post, "/v1/decisions", credential, JsonSerializer.Serialize(batch, DelegationJsonContext.Default.DecisionBatch));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(before + (expected == HttpStatusCode.Accepted ? 1 : 0), await CountAsync());
    }

    private async Task<string> HolderTokenAsync() =>
        (await Silo.Issuer.CreateGrantAsync(new CreateGrantRequest("alice", "support-bot", ["tickets:*"], TtlSeconds: 3600))).Token;

    private async Task<int> CountAsync()
    {
        await Silo.FlushDecisionsAsync();
        var page = await Silo.GetJsonAsync("/v1/audit?limit=1000", OpsKeys.Admin, DelegationJsonContext.Default.AuditPage);
        return page.Items.Count;
    }

    private static DecisionRecord Reported(string agent, string action) => new(
        ReportedAt, "g_reportedgrant2345", ["g_reportedgrant2345"], agent, "carol", action, "files/1", 0, Decision.Allow, null, null, "gateway-7", 12.5);
}
