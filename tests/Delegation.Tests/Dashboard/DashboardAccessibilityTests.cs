using System.Text.Json;
using Delegation.Api;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Delegation.Tests.Dashboard;

/// <summary>
/// Every page of the dashboard checked against WCAG 2.1 A and AA by axe-core (an npm dev dependency of the
/// dashboard, installed by the silo's build), in the real browser, with real data on screen.
/// </summary>
public sealed class DashboardAccessibilityTests(DashboardFixture silo) : IClassFixture<DashboardFixture>
{
    private static readonly string AxeScript = Path.Combine(RepositoryPaths.DashboardApp, "node_modules", "axe-core", "axe.min.js");

    [Fact]
    public async Task Every_page_and_the_confirmation_dialog_pass_the_WCAG_2_1_AA_checks()
    {
        Assert.True(File.Exists(AxeScript), $"{AxeScript} is missing: build the silo (it runs npm) first.");
        var tree = await DemoTree.CreateAsync(silo.Admin);
        await silo.Admin.SuspendGrantAsync(tree.Triage, "anomaly:deny_ratio");
        var approvalId = await tree.AskApprovalAsync(silo.Admin);
        await silo.Admin.RevokeGrantAsync(tree.Researcher, "compromised");
        await silo.Admin.CheckAsync(new CheckRequest(null, tree.Summarizer, "tickets:read", "projects/42/7", Cost: 1));
        var dashboard = new DashboardPage(await silo.NewPageAsync(bypassCsp: true));
        var page = dashboard.Page;

        await page.GotoAsync("/dashboard");
        await AssertAccessibleAsync(page, "sign-in");
        await dashboard.SignInAsync();
        await Expect(page.GetByText("Latest:").First).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "overview");

        await page.EvaluateAsync($"location.hash = '#/trees/{tree.Summarizer}'");
        await Expect(dashboard.StatusOf(tree.Scraper)).ToHaveTextAsync("revoked · ancestor");
        await Expect(page.GetByRole(AriaRole.Listitem).Filter(new() { HasText = approvalId })).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "tree explorer with a pending approval");
        await dashboard.TreeRow(tree.Triage).ClickAsync();
        await Expect(dashboard.Details.GetByRole(AriaRole.Button, new() { Name = "Resume now" })).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "an anomaly suspension");
        await dashboard.TreeRow(tree.Summarizer).ClickAsync();
        await dashboard.Details.GetByRole(AriaRole.Button, new() { Name = "Suspend" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "confirmation dialog");
        await page.Keyboard.PressAsync("Escape");

        await dashboard.NavigateAsync("Live events");
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Feed events, newest first" }).GetByRole(AriaRole.Listitem).First).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "live events");

        await dashboard.NavigateAsync("Audit");
        await Expect(page.Locator(".audit-results tbody tr").First).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "audit");
    }

    private static async Task AssertAccessibleAsync(IPage page, string what)
    {
        if (!await page.EvaluateAsync<bool>("typeof axe !== 'undefined'"))
        {
            await page.AddScriptTagAsync(new() { Path = AxeScript });
        }

        var violations = await page.EvaluateAsync<JsonElement>("""
            async () => {
                const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
                return result.violations.map(v => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")}`);
            }
            """);
        var found = violations.EnumerateArray().Select(v => v.GetString()).ToList();
        Assert.True(found.Count == 0, $"Accessibility violations on the {what} page:{Environment.NewLine}{string.Join(Environment.NewLine, found)}");
    }
}
