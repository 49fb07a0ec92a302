using System.Text.RegularExpressions;
using Delegation.Silo.Dashboard.OrleansAccess;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Delegation.Tests.Dashboard;

/// <summary>The Orleans dashboard reached from ours, in real headless Chromium against a real silo on Kestrel.</summary>
public sealed partial class OrleansDashboardBrowserTests(DashboardFixture silo) : IClassFixture<DashboardFixture>
{
    [Fact]
    public async Task The_Orleans_link_signs_in_and_opens_the_Orleans_dashboard_in_a_tab_that_cannot_read_the_admin_key()
    {
        var dashboard = new DashboardPage(await silo.NewPageAsync());
        await dashboard.SignInAsync();

        var orleans = await OpenOrleansAsync(dashboard.Page);

        await Expect(orleans).ToHaveURLAsync(OrleansPage());
        await Expect(orleans).ToHaveTitleAsync("Orleans Dashboard");
        await ExpectRenderedAsync(orleans);
        Assert.Null(await orleans.EvaluateAsync<string?>("sessionStorage.getItem('delegation.adminKey')"));
        Assert.True(await orleans.EvaluateAsync<bool>("window.opener === null"));
        Assert.DoesNotContain(OrleansDashboardApi.CookieName, await orleans.EvaluateAsync<string>("document.cookie"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signed_out_the_Orleans_dashboard_is_refused()
    {
        var stranger = await silo.NewPageAsync();
        var neverSignedIn = await stranger.GotoAsync("/orleans/");
        Assert.Equal(401, neverSignedIn!.Status);

        var dashboard = new DashboardPage(await silo.NewPageAsync());
        var page = dashboard.Page;
        await dashboard.SignInAsync();
        var orleans = await OpenOrleansAsync(page);
        await ExpectRenderedAsync(orleans);
        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == OrleansDashboardApi.CookieName);

        await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync(),
            response => response.Url.EndsWith(OrleansDashboardApi.SessionPath, StringComparison.Ordinal) && response.Request.Method == "DELETE" && response.Status == 204);
        var afterSignOut = await orleans.ReloadAsync();
        await page.Context.AddCookiesAsync([new Cookie { Name = cookie.Name, Value = cookie.Value, Domain = cookie.Domain, Path = cookie.Path }]);
        var withTheOldCookie = await orleans.ReloadAsync();

        Assert.Equal(401, afterSignOut!.Status);
        Assert.Equal(401, withTheOldCookie!.Status);
    }

    private static Task<IPage> OpenOrleansAsync(IPage page) =>
        page.Context.RunAndWaitForPageAsync(() =>
            page.GetByRole(AriaRole.Banner).GetByRole(AriaRole.Link, new() { Name = "Orleans" }).ClickAsync());

    // The page's own script has fetched the cluster's counters (through the gate, with the cookie) and drawn them.
    private static Task ExpectRenderedAsync(IPage orleans) =>
        Expect(orleans.GetByText("Total Activations").First).ToBeVisibleAsync();

    [GeneratedRegex("/orleans/$")]
    private static partial Regex OrleansPage();
}
