using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Delegation.Tests.Dashboard;

/// <summary>
/// Drives a small but busy silo (a delegation tree in every state, check traffic, a connected enforcer, revocations
/// that wait for it) and photographs the overview and the tree explorer. The pictures go to the test's output
/// folder; with <c>UPDATE_SCREENSHOTS=1</c> also to <c>docs/images/</c>, where the README shows them.
/// </summary>
public sealed class DashboardScreenshotTests(DashboardFixture silo) : IClassFixture<DashboardFixture>
{
    [Fact]
    public async Task The_overview_and_the_tree_explorer_show_a_busy_silo()
    {
        await using var gateway = await FeedAcknowledger.ConnectAsync(silo.Http, "gateway-eu-1", DashboardFixture.AdminKey);
        var tree = await DemoTree.CreateAsync(silo.Admin);
        var dashboard = new DashboardPage(await silo.NewPageAsync());
        var page = dashboard.Page;
        await dashboard.SignInAsync();

        await tree.RunTrafficAsync(silo.Admin, rounds: 24);
        await Expect(page.GetByText("1 / 1", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator(".chart-summary").First).ToContainTextAsync("Latest: allowed");
        await Expect(page.GetByText("1 of 1 enforcers acknowledged")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "gateway-eu-1" })).ToBeVisibleAsync();
        await SaveAsync(page, "dashboard-overview.png", fullPage: true);

        var approvalId = await tree.AskApprovalAsync(silo.Admin);
        await page.EvaluateAsync($"location.hash = '#/trees/{tree.Summarizer}'");
        await Expect(dashboard.StatusOf(tree.Triage)).ToHaveTextAsync("suspended");
        await Expect(page.GetByRole(AriaRole.Listitem).Filter(new() { HasText = approvalId })).ToBeVisibleAsync();
        await Expect(dashboard.StatusOf(tree.Scraper)).ToHaveTextAsync("revoked · ancestor");
        await Expect(dashboard.Details.GetByRole(AriaRole.Heading, new() { Name = "summarizer" })).ToBeVisibleAsync();
        await dashboard.Details.GetByLabel("Action", new() { Exact = true }).FillAsync("tickets:write");
        await dashboard.Details.GetByLabel("Resource").FillAsync("projects/42/7");
        await dashboard.Details.GetByRole(AriaRole.Button, new() { Name = "Explain" }).ClickAsync();
        await Expect(dashboard.Details.Locator(".verdict")).ToContainTextAsync("Deny · scope mismatch");
        await SaveAsync(page, "dashboard-trees.png");
    }

    private static async Task SaveAsync(IPage page, string name, bool fullPage = false)
    {
        // Let the charts and countdowns settle on one frame, then photograph.
        await page.EvaluateAsync("() => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)))");
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var bytes = await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name), FullPage = fullPage });
        Assert.True(bytes.Length > 10_000, $"{name} is suspiciously small ({bytes.Length} bytes).");
        if (Environment.GetEnvironmentVariable("UPDATE_SCREENSHOTS") == "1")
        {
            await File.WriteAllBytesAsync(Path.Combine(RepositoryPaths.Root, "docs", "images", name), bytes);
        }
    }
}
