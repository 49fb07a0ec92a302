using Delegation.Api;
using Delegation.Grains.Trees;
using Delegation.Grants;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Delegation.Tests.Dashboard;

/// <summary>The dashboard in real headless Chromium against a real silo on Kestrel.</summary>
public sealed class DashboardBrowserTests(DashboardFixture silo) : IClassFixture<DashboardFixture>
{
    [Fact]
    public async Task Signing_in_takes_only_the_admin_key_and_keeps_it_in_session_storage_until_signing_out()
    {
        var dashboard = new DashboardPage(await silo.NewPageAsync());
        var page = dashboard.Page;

        await dashboard.SubmitKeyAsync("not-a-key-of-this-silo-0000");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("refused");
        await dashboard.SubmitKeyAsync(DashboardFixture.IssuerKey);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not an admin key");

        await dashboard.SignInAsync();
        Assert.Equal(DashboardFixture.AdminKey, await page.EvaluateAsync<string>("sessionStorage.getItem('delegation.adminKey')"));
        Assert.Equal(0, await page.EvaluateAsync<int>("localStorage.length"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
        Assert.Null(await page.EvaluateAsync<string?>("sessionStorage.getItem('delegation.adminKey')"));
    }

    [Fact]
    public async Task A_tree_created_through_the_api_appears_live_and_revoking_its_root_from_the_ui_denies_its_descendants()
    {
        var dashboard = new DashboardPage(await silo.NewPageAsync());
        var page = dashboard.Page;
        await dashboard.SignInAsync();
        await dashboard.NavigateAsync("Trees");
        var user = Unique("erin");
        var agent = Unique("support-bot");

        var root = await silo.Admin.CreateGrantAsync(new CreateGrantRequest(user, agent, ["tickets:*@projects/42/**"], Budget: 100, TtlSeconds: 3600));
        var recent = page.GetByRole(AriaRole.List, new() { Name = "Recent trees" }).GetByRole(AriaRole.Link).Filter(new() { HasText = agent });
        await Expect(recent).ToBeVisibleAsync();
        await recent.ClickAsync();
        await Expect(dashboard.StatusOf(root.Grant.Id)).ToHaveTextAsync("active");

        var child = await silo.Admin.DelegateAsync(root.Grant.Id, new DelegateRequest("summarizer", ["tickets:read@projects/42/*"], Budget: 10, TtlSeconds: 600));
        var grandchild = await silo.Admin.DelegateAsync(child.Grant.Id, new DelegateRequest("translator", ["tickets:read@projects/42/7"], Budget: 5, TtlSeconds: 300));
        await Expect(dashboard.TreeRow(grandchild.Grant.Id)).ToContainTextAsync("translator");
        await Expect(page.GetByText("3 grants", new() { Exact = true })).ToBeVisibleAsync();

        await dashboard.TreeRow(root.Grant.Id).ClickAsync();
        await dashboard.Details.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync($"Revoke grant {root.Grant.Id}?");
        await dialog.GetByLabel("Reason (optional)").FillAsync("offboarding");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();

        await Expect(dashboard.StatusOf(root.Grant.Id)).ToHaveTextAsync("revoked");
        await Expect(dashboard.StatusOf(child.Grant.Id)).ToHaveTextAsync("revoked · ancestor");
        await Expect(dashboard.StatusOf(grandchild.Grant.Id)).ToHaveTextAsync("revoked · ancestor");
        await Expect(page.GetByText("3 revoked")).ToBeVisibleAsync();
        var check = await silo.Admin.CheckAsync(new CheckRequest(null, grandchild.Grant.Id, "tickets:read", "projects/42/7"));
        Assert.Equal(Decision.Deny, check.Decision);
        Assert.Equal(DenyReason.AncestorRevoked, check.Reason);
        Assert.Equal(root.Grant.Id, check.DecidedBy);
    }

    [Fact]
    public async Task Cancelling_the_confirmation_changes_nothing_and_suspend_then_resume_flip_the_subtree()
    {
        var dashboard = new DashboardPage(await silo.NewPageAsync());
        var page = dashboard.Page;
        await dashboard.SignInAsync();
        var root = await silo.Admin.CreateGrantAsync(new CreateGrantRequest(Unique("frank"), Unique("ops-bot"), ["deploy:*"], TtlSeconds: 3600));
        var child = await silo.Admin.DelegateAsync(root.Grant.Id, new DelegateRequest("canary", ["deploy:staging"], TtlSeconds: 600));
        await page.EvaluateAsync($"location.hash = '#/trees/{root.Grant.Id}'");
        await Expect(dashboard.TreeRow(child.Grant.Id)).ToBeVisibleAsync();

        await dashboard.Details.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
        Assert.Equal(GrantStatus.Active, (await silo.Admin.GetGrantAsync(root.Grant.Id)).Status);

        await dashboard.Details.GetByRole(AriaRole.Button, new() { Name = "Suspend" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Suspend" }).ClickAsync();
        await Expect(dashboard.StatusOf(child.Grant.Id)).ToHaveTextAsync("suspended · ancestor");
        await dashboard.Details.GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();
        await Expect(dashboard.StatusOf(child.Grant.Id)).ToHaveTextAsync("active");
        Assert.Equal(GrantStatus.Active, (await silo.Admin.GetGrantAsync(child.Grant.Id)).EffectiveStatus);
    }

    [Fact]
    public async Task Finding_by_agent_lists_its_grants_and_opens_the_tree_at_the_one_chosen()
    {
        var dashboard = new DashboardPage(await silo.NewPageAsync());
        var page = dashboard.Page;
        await dashboard.SignInAsync();
        var agent = Unique("researcher");
        var root = await silo.Admin.CreateGrantAsync(new CreateGrantRequest(Unique("gina"), Unique("planner"), ["docs:*"], TtlSeconds: 3600));
        var held = await silo.Admin.DelegateAsync(root.Grant.Id, new DelegateRequest(agent, ["docs:read"], TtlSeconds: 600));

        await dashboard.NavigateAsync("Trees");
        await page.GetByLabel("Find by").SelectOptionAsync("agent");
        await page.GetByLabel("Search for").FillAsync(agent);
        await page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
        await Expect(page.GetByText($"1 grant held by agent {agent}")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.List, new() { Name = "Grants found" }).GetByRole(AriaRole.Link).ClickAsync();

        await Expect(dashboard.TreeRow(held.Grant.Id)).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(dashboard.Details.GetByRole(AriaRole.Heading, new() { Name = agent })).ToBeVisibleAsync();
        await Expect(dashboard.Details).ToContainTextAsync(root.Grant.Id);
    }

    [Fact]
    public async Task The_event_stream_shows_changes_as_they_are_appended()
    {
        var dashboard = new DashboardPage(await silo.NewPageAsync());
        var page = dashboard.Page;
        await dashboard.SignInAsync();
        await dashboard.NavigateAsync("Live events");

        var root = await silo.Admin.CreateGrantAsync(new CreateGrantRequest(Unique("hana"), Unique("mailer"), ["mail:send"], TtlSeconds: 3600));
        await silo.Admin.RevokeGrantAsync(root.Grant.Id, "compromised");
        await page.GetByLabel("Contains").FillAsync(root.Grant.Id);

        var events = page.GetByRole(AriaRole.List, new() { Name = "Feed events, newest first" }).GetByRole(AriaRole.Listitem);
        await Expect(events).ToHaveCountAsync(2);
        await Expect(events.First).ToContainTextAsync($"{root.Grant.Id} revoked by admin: “compromised”");
        await Expect(events.Last).ToContainTextAsync("grant created");
    }

    [Fact]
    public async Task Invisible_and_direction_changing_characters_in_stored_text_are_shown_escaped()
    {
        var dashboard = new DashboardPage(await silo.NewPageAsync());
        var page = dashboard.Page;
        await dashboard.SignInAsync();
        await dashboard.NavigateAsync("Live events");

        var root = await silo.Admin.CreateGrantAsync(new CreateGrantRequest(
            Unique("ivan"), Unique("mailer"), ["mail:send"], TtlSeconds: 3600, Purpose: "invoice\u202Efdp.exe"));
        await silo.Admin.RevokeGrantAsync(root.Grant.Id, "left\u200Bteam");
        await page.GetByLabel("Contains").FillAsync(root.Grant.Id);

        var events = page.GetByRole(AriaRole.List, new() { Name = "Feed events, newest first" }).GetByRole(AriaRole.Listitem);
        await Expect(events.First).ToContainTextAsync("left\\u{200B}team");
        await page.EvaluateAsync($"location.hash = '#/trees/{root.Grant.Id}'");
        await dashboard.TreeRow(root.Grant.Id).ClickAsync();
        await Expect(dashboard.Details).ToContainTextAsync("invoice\\u{202E}fdp.exe");
    }

    [Fact]
    public async Task Audit_search_filters_by_agent_and_decision_and_pages_through_the_matches()
    {
        var dashboard = new DashboardPage(await silo.NewPageAsync());
        var page = dashboard.Page;
        var agent = Unique("auditee");
        var root = await silo.Admin.CreateGrantAsync(new CreateGrantRequest(Unique("ivan"), agent, ["tickets:read"], TtlSeconds: 3600));
        for (var i = 0; i < 57; i++)
        {
            await silo.Admin.CheckAsync(new CheckRequest(null, root.Grant.Id, i < 54 ? "tickets:read" : "tickets:delete"));
        }

        await silo.WaitForDecisionsAsync(agent, 57);

        await dashboard.SignInAsync();
        await dashboard.NavigateAsync("Audit");
        var filters = page.GetByRole(AriaRole.Region, new() { Name = "Filters" });
        await filters.GetByLabel("Agent").FillAsync(agent);
        await filters.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        var status = page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Decisions" });
        await Expect(status).ToHaveTextAsync("Decisions 1–50, newest first.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Older →" }).ClickAsync();
        await Expect(status).ToHaveTextAsync("Decisions 51–57, newest first · no older ones match.");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Older →" })).ToBeDisabledAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "← Newer" }).ClickAsync();
        await Expect(status).ToHaveTextAsync("Decisions 1–50, newest first.");

        await filters.GetByLabel("Decision").SelectOptionAsync("deny");
        await filters.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Expect(status).ToHaveTextAsync("Decisions 1–3, newest first · no older ones match.");
        var rows = page.Locator(".audit-results tbody tr");
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(rows.First).ToContainTextAsync("scope mismatch");
    }

    [Fact]
    public async Task A_tree_of_100000_grants_renders_only_the_rows_in_view_and_the_keyboard_reaches_its_last_grant()
    {
        var root = await silo.Admin.CreateGrantAsync(new CreateGrantRequest(Unique("jon"), Unique("fleet"), ["jobs:*"], TtlSeconds: 3600));
        var grain = silo.Grains.GetGrant(root.Grant.Id);
        var request = new DelegateRequest("worker", ["jobs:run"], TtlSeconds: 1800);
        string last = root.Grant.Id;
        for (var i = 1; i < 100_000; i++)
        {
            last = (await grain.DelegateAsync(request)).Grant.Id;
        }


        var dashboard = new DashboardPage(await silo.NewPageAsync());
        var page = dashboard.Page;
        await dashboard.SignInAsync();
        await page.EvaluateAsync($"location.hash = '#/trees/{root.Grant.Id}'");
        await Expect(page.GetByText("100,000 grants", new() { Exact = true })).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(dashboard.TreeRow(root.Grant.Id)).ToContainTextAsync("99,999 sub-grants");

        var rendered = await page.Locator(".tree-row:not([hidden])").CountAsync();
        Assert.InRange(rendered, 1, 100);
        var tree = page.GetByRole(AriaRole.Tree, new() { Name = "Delegation tree" });
        await tree.FocusAsync();
        await tree.PressAsync("End");
        await Expect(dashboard.TreeRow(last)).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(dashboard.TreeRow(last)).ToBeInViewportAsync();
        await Expect(dashboard.Details).ToContainTextAsync(last);
        Assert.InRange(await page.Locator(".tree-row:not([hidden])").CountAsync(), 1, 100);
    }

    private static string Unique(string name) => $"{name}-{Guid.NewGuid().ToString("N")[..6]}";
}
