using Delegation.Api;
using Delegation.Grants;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Delegation.Tests.Dashboard;

/// <summary>
/// The guardrails where the operator looks, in real headless Chromium against a real silo: a grant's rate in the
/// tree explorer, the approvals its agents wait for with Approve and Reject, and an anomaly rule's suspension marked
/// and resumed with one click. Every outcome is checked through the API, not only on screen.
/// </summary>
public sealed class DashboardGuardrailsTests(DashboardFixture silo) : IClassFixture<DashboardFixture>
{
    private const string Delete = "tickets:delete";

    [Fact]
    public async Task An_approval_the_agent_waits_for_appears_live_and_approving_it_lets_the_retry_through_once()
    {
        var (dashboard, grant) = await OpenMarkedGrantAsync();

        var asked = await CheckAsync(grant.Token, approvalId: null);
        var item = Pending(dashboard, asked.ApprovalId!);
        await Expect(item).ToContainTextAsync(Delete);
        await Expect(item).ToContainTextAsync("projects/42/7");
        await Expect(item).ToContainTextAsync("cost 3");
        await Expect(item).ToContainTextAsync(grant.Grant.Id);
        await Expect(dashboard.Page.GetByRole(AriaRole.Region, new() { Name = "Waiting for approval (1)" })).ToBeVisibleAsync();

        await item.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        var dialog = dashboard.Page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync($"Approve {Delete} on projects/42/7?");
        await dialog.GetByLabel("Reason (optional)").FillAsync("ticket 7 is spam");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Expect(item).ToHaveCountAsync(0);

        var decided = Assert.Single(await silo.Admin.GetApprovalsAsync(grant.Grant.Id), a => a.Id == asked.ApprovalId);
        var retried = await CheckAsync(grant.Token, asked.ApprovalId);
        var reused = await CheckAsync(grant.Token, asked.ApprovalId);
        Assert.Equal(DenyReason.ApprovalRequired, asked.Reason);
        Assert.Equal(("approved", "admin", "ticket 7 is spam"), (decided.Status, decided.DecidedBy, decided.Reason));
        Assert.Equal(Decision.Allow, retried.Decision);
        Assert.Equal(DenyReason.ApprovalRequired, reused.Reason);
        Assert.NotEqual(asked.ApprovalId, reused.ApprovalId);
        await Expect(Pending(dashboard, reused.ApprovalId!)).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Rejecting_from_the_keyboard_refuses_the_request_and_the_retry_presenting_it_is_denied()
    {
        var (dashboard, grant) = await OpenMarkedGrantAsync();
        var asked = await CheckAsync(grant.Token, approvalId: null);
        var item = Pending(dashboard, asked.ApprovalId!);

        await item.GetByRole(AriaRole.Button, new() { Name = "Reject" }).FocusAsync();
        await dashboard.Page.Keyboard.PressAsync("Enter");
        var dialog = dashboard.Page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync($"Reject {Delete} on projects/42/7?");
        await dialog.GetByLabel("Reason (optional)").FillAsync("not this one");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Reject" }).FocusAsync();
        await dashboard.Page.Keyboard.PressAsync("Enter");
        await Expect(item).ToHaveCountAsync(0);

        var decided = Assert.Single(await silo.Admin.GetApprovalsAsync(grant.Grant.Id), a => a.Id == asked.ApprovalId);
        var retried = await CheckAsync(grant.Token, asked.ApprovalId);
        Assert.Equal(("rejected", "admin", "not this one"), (decided.Status, decided.DecidedBy, decided.Reason));
        Assert.Equal(DenyReason.ApprovalRequired, retried.Reason);
        Assert.NotEqual(asked.ApprovalId, retried.ApprovalId);
    }

    [Fact]
    public async Task The_overview_lists_what_waits_for_approval_in_any_tree_and_approves_it_there()
    {
        var dashboard = new DashboardPage(await silo.NewPageAsync());
        await dashboard.SignInAsync();
        var grant = await silo.Admin.CreateGrantAsync(new CreateGrantRequest(
            Unique("mona"), Unique("cleaner"), ["tickets:*@projects/42/**", $"!{Delete}@projects/42/**"], TtlSeconds: 3600));

        var asked = await CheckAsync(grant.Token, approvalId: null);
        var item = Pending(dashboard, asked.ApprovalId!);
        await Expect(item).ToContainTextAsync(grant.Grant.Id);
        await item.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await dashboard.Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Expect(item).ToHaveCountAsync(0);

        Assert.Equal("approved", Assert.Single(await silo.Admin.GetApprovalsAsync(grant.Grant.Id), a => a.Id == asked.ApprovalId).Status);
        Assert.Equal(Decision.Allow, (await CheckAsync(grant.Token, asked.ApprovalId)).Decision);
    }

    [Fact]
    public async Task A_suspension_by_an_anomaly_rule_is_marked_and_resumed_with_one_click_while_a_manual_one_is_not_marked()
    {
        var dashboard = new DashboardPage(await silo.NewPageAsync());
        await dashboard.SignInAsync();
        var root = await silo.Admin.CreateGrantAsync(new CreateGrantRequest(Unique("kim"), Unique("ops-bot"), ["deploy:*"], TtlSeconds: 3600));
        var rogue = await silo.Admin.DelegateAsync(root.Grant.Id, new DelegateRequest("canary", ["deploy:staging"], TtlSeconds: 600));
        var held = await silo.Admin.DelegateAsync(root.Grant.Id, new DelegateRequest("nightly", ["deploy:staging"], TtlSeconds: 600));
        var below = await silo.Admin.DelegateAsync(rogue.Grant.Id, new DelegateRequest("helper", ["deploy:staging"], TtlSeconds: 300));
        await silo.Admin.SuspendGrantAsync(held.Grant.Id, "maintenance window");
        await dashboard.Page.EvaluateAsync($"location.hash = '#/trees/{root.Grant.Id}'");
        await Expect(dashboard.TreeRow(below.Grant.Id)).ToBeVisibleAsync();

        await silo.Admin.SuspendGrantAsync(rogue.Grant.Id, "anomaly:deny_ratio");
        await Expect(dashboard.StatusOf(rogue.Grant.Id)).ToHaveTextAsync("suspended");
        await Expect(Badge(dashboard, rogue.Grant.Id)).ToBeVisibleAsync();
        await Expect(Badge(dashboard, rogue.Grant.Id)).ToHaveTextAsync("anomaly");
        await Expect(Badge(dashboard, held.Grant.Id)).ToBeHiddenAsync();
        await Expect(Badge(dashboard, below.Grant.Id)).ToBeHiddenAsync();
        await Expect(dashboard.StatusOf(below.Grant.Id)).ToHaveTextAsync("suspended · ancestor");

        await dashboard.TreeRow(held.Grant.Id).ClickAsync();
        await Expect(dashboard.Details).ToContainTextAsync("suspended: “maintenance window”");
        await Expect(dashboard.Details.GetByRole(AriaRole.Group, new() { Name = "Anomaly suspension" })).ToHaveCountAsync(0);
        await dashboard.TreeRow(rogue.Grant.Id).ClickAsync();
        var anomaly = dashboard.Details.GetByRole(AriaRole.Group, new() { Name = "Anomaly suspension" });
        await Expect(anomaly).ToContainTextAsync("deny_ratio");
        await anomaly.GetByRole(AriaRole.Button, new() { Name = "Resume now" }).ClickAsync();

        await Expect(dashboard.StatusOf(rogue.Grant.Id)).ToHaveTextAsync("active");
        await Expect(dashboard.StatusOf(below.Grant.Id)).ToHaveTextAsync("active");
        await Expect(Badge(dashboard, rogue.Grant.Id)).ToBeHiddenAsync();
        await Expect(anomaly).ToHaveCountAsync(0);
        var resumed = await silo.Admin.GetGrantAsync(rogue.Grant.Id);
        Assert.Equal((GrantStatus.Active, GrantStatus.Active, null), (resumed.Status, resumed.EffectiveStatus, resumed.StatusReason));
        Assert.Equal(GrantStatus.Active, (await silo.Admin.GetGrantAsync(below.Grant.Id)).EffectiveStatus);
        var stillHeld = await silo.Admin.GetGrantAsync(held.Grant.Id);
        Assert.Equal((GrantStatus.Suspended, "maintenance window"), (stillHeld.Status, stillHeld.StatusReason));
    }

    [Fact]
    public async Task The_explorer_shows_each_grants_rate_and_what_needs_approval()
    {
        var dashboard = new DashboardPage(await silo.NewPageAsync());
        await dashboard.SignInAsync();
        var root = await silo.Admin.CreateGrantAsync(new CreateGrantRequest(
            Unique("lena"), Unique("payer"), ["payments:*@accounts/**", "!payments:send@accounts/**"], TtlSeconds: 3600, Rate: new RateLimit(10, 1, 20)));
        await dashboard.Page.EvaluateAsync($"location.hash = '#/trees/{root.Grant.Id}'");
        await Expect(dashboard.TreeRow(root.Grant.Id).Locator(".rate")).ToHaveTextAsync("10/s burst 20");
        await Expect(dashboard.TreeRow(root.Grant.Id).Locator(".rate")).ToHaveAttributeAsync("title", "Rate limit: 10/s burst 20, per requests");

        var child = await silo.Admin.WithCredential(root.Token).DelegateAsync(
            root.Grant.Id, new DelegateRequest("batcher", ["payments:send@accounts/7"], TtlSeconds: 600, Rate: new RateLimit(5, 60, Per: RateUnit.Cost)));
        await Expect(dashboard.TreeRow(child.Grant.Id).Locator(".rate")).ToHaveTextAsync("5/min burst 5 cost");
        await dashboard.TreeRow(root.Grant.Id).ClickAsync();
        await Expect(dashboard.Details).ToContainTextAsync("10/s burst 20, per requests");
        await Expect(dashboard.Details).ToContainTextAsync("!payments:send@accounts/**");
    }

    private async Task<(DashboardPage Dashboard, GrantCreatedResponse Grant)> OpenMarkedGrantAsync()
    {
        var dashboard = new DashboardPage(await silo.NewPageAsync());
        await dashboard.SignInAsync();
        var grant = await silo.Admin.CreateGrantAsync(new CreateGrantRequest(
            Unique("alice"), Unique("support-bot"), ["tickets:*@projects/42/**", $"!{Delete}@projects/42/**"], TtlSeconds: 3600));
        await dashboard.Page.EvaluateAsync($"location.hash = '#/trees/{grant.Grant.Id}'");
        await Expect(dashboard.TreeRow(grant.Grant.Id)).ToBeVisibleAsync();
        return (dashboard, grant);
    }

    private Task<CheckResponse> CheckAsync(string token, string? approvalId) =>
        silo.Admin.CheckAsync(new CheckRequest(token, null, Delete, "projects/42/7", 3, approvalId));

    private static ILocator Pending(DashboardPage dashboard, string approvalId) =>
        dashboard.Page.GetByRole(AriaRole.Region, new() { NameRegex = new("^Waiting for approval") })
            .GetByRole(AriaRole.Listitem).Filter(new() { HasText = approvalId });

    private static ILocator Badge(DashboardPage dashboard, string grantId) => dashboard.TreeRow(grantId).Locator(".anomaly-badge");

    private static string Unique(string name) => $"{name}-{Guid.NewGuid().ToString("N")[..6]}";
}
