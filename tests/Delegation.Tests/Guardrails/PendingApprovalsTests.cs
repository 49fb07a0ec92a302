using System.Net;
using System.Net.Http.Headers;
using Delegation.Api;
using Delegation.Grants;
using Delegation.Tests.Enforcement;
using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Guardrails;

/// <summary>
/// <c>GET /v1/approvals?status=pending</c>: every request waiting for a person, across trees, from the silo's index of
/// open requests (built from the feed) and each tree's own view; kept across a restart.
/// </summary>
public sealed class PendingApprovalsTests
{
    private const string Delete = "tickets:delete";

    [Fact]
    public async Task The_requests_waiting_in_every_tree_are_listed_oldest_first_and_leave_the_list_once_decided()
    {
        await using var silo = await TestSilo.StartAsync();
        var first = await AskAsync(silo, "alice", "projects/42/1");
        var second = await AskAsync(silo, "bob", "projects/42/2");
        var third = await AskAsync(silo, "carol", "projects/42/3");
        await silo.Admin.RejectAsync(third.ApprovalId!, "no");

        var all = await silo.Admin.GetPendingApprovalsAsync();
        var one = await silo.Admin.GetPendingApprovalsAsync(limit: 1);
        await silo.Admin.ApproveAsync(first.ApprovalId!);
        var after = await silo.Admin.GetPendingApprovalsAsync();

        Assert.Equal([first.ApprovalId, second.ApprovalId], all.Items.Select(a => a.Id));
        Assert.Equal((true, "pending", "alice"), (all.Complete, all.Items[0].Status, all.Items[0].User));
        Assert.Equal((first.ApprovalId, false), (Assert.Single(one.Items).Id, one.Complete));
        Assert.Equal((second.ApprovalId, true), (Assert.Single(after.Items).Id, after.Complete));
    }

    [Fact]
    public async Task A_restarted_silo_lists_the_requests_still_waiting_from_its_store()
    {
        using var data = new TempDirectory("pending-approvals");
        string? waiting;
        await using (var silo = await TestSilo.StartAsync(data.Path))
        {
            waiting = (await AskAsync(silo, "alice", "projects/42/1")).ApprovalId;
            var decided = await AskAsync(silo, "bob", "projects/42/2");
            await silo.Admin.ApproveAsync(decided.ApprovalId!);
        }

        await using var restarted = await TestSilo.StartAsync(data.Path);
        var listed = await restarted.Admin.GetPendingApprovalsAsync();

        Assert.Equal([waiting], listed.Items.Select(a => a.Id));
    }

    [Theory]
    [InlineData("?status=approved")]
    [InlineData("?limit=0")]
    [InlineData("?limit=1001")]
    [InlineData("?limit=ten")]
    [InlineData("?limit=-1")]
    public async Task A_bad_query_is_a_400_validation_failed(string query)
    {
        await using var silo = await TestSilo.StartAsync();

        var (status, body) = await GetAsync(silo, query, TestSilo.AdminKey);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("\"code\":\"validation_failed\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_operators_may_list_what_waits_for_a_person()
    {
        await using var silo = await TestSilo.StartAsync();
        var grant = await GrantAsync(silo, "alice");

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(silo, string.Empty, null)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(silo, string.Empty, TestSilo.EnforcerKey)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(silo, string.Empty, grant.Token)).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(silo, string.Empty, TestSilo.AdminKey)).Status);
    }

    private static async Task<CheckResponse> AskAsync(TestSilo silo, string user, string resource)
    {
        var grant = await GrantAsync(silo, user);
        var asked = await silo.Admin.CheckAsync(new CheckRequest(grant.Token, null, Delete, resource, 1, null));
        Assert.Equal(DenyReason.ApprovalRequired, asked.Reason);
        return asked;
    }

    private static Task<GrantCreatedResponse> GrantAsync(TestSilo silo, string user) =>
        silo.Admin.CreateGrantAsync(new CreateGrantRequest(
            user, "support-bot", ["tickets:*@projects/42/**", "!tickets:delete@projects/42/**"], TtlSeconds: 3600));

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(TestSilo silo, string query, string? credential)
    {
        using var http = new HttpClient { BaseAddress = silo.Url };
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/approvals" + query);
        if (credential is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
