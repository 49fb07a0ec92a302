using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Delegation.Tests.Dashboard;

/// <summary>The dashboard as a person uses it: by labels, roles and visible text, not by implementation details.</summary>
public sealed class DashboardPage(IPage page)
{
    /// <summary>The browser page.</summary>
    public IPage Page { get; } = page;

    /// <summary>Opens the dashboard and signs in with <paramref name="key"/>, without checking the outcome.</summary>
    public async Task SubmitKeyAsync(string key)
    {
        if (!Page.Url.Contains("/dashboard", StringComparison.Ordinal))
        {
            await Page.GotoAsync("/dashboard");
        }

        await Page.GetByLabel("Admin key").FillAsync(key);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>Signs in with the admin key and waits for the overview and a live feed.</summary>
    public async Task SignInAsync()
    {
        await SubmitKeyAsync(DashboardFixture.AdminKey);
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Live" })).ToBeVisibleAsync();
    }

    /// <summary>Follows a link of the top navigation.</summary>
    public Task NavigateAsync(string name) =>
        Page.GetByRole(AriaRole.Navigation, new() { Name = "Dashboard" }).GetByRole(AriaRole.Link, new() { Name = name }).ClickAsync();

    /// <summary>The row of a grant in the tree explorer.</summary>
    public ILocator TreeRow(string grantId) => Page.Locator($"#grant-{grantId}");

    /// <summary>The status pill of a grant's row ("active", "revoked · ancestor", ...).</summary>
    public ILocator StatusOf(string grantId) => TreeRow(grantId).Locator(".pill");

    /// <summary>The panel of the selected grant.</summary>
    public ILocator Details => Page.GetByRole(AriaRole.Complementary, new() { Name = "Selected grant" });
}
