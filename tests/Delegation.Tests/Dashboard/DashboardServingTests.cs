using System.Net;
using System.Net.Http.Headers;

namespace Delegation.Tests.Dashboard;

/// <summary>How the silo serves the dashboard's files: no key needed, a strict content security policy, cacheable assets.</summary>
public sealed class DashboardServingTests(DashboardFixture silo) : IClassFixture<DashboardFixture>
{
    [Theory]
    [InlineData("/dashboard")]
    [InlineData("/dashboard/")]
    public async Task The_page_is_served_without_a_key_with_a_strict_content_security_policy(string path)
    {
        using var response = await silo.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("<div id=\"app\">", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assets_named_by_their_hash_are_cached_for_good_and_revalidate_by_etag()
    {
        var page = await silo.Http.GetStringAsync("/dashboard");
        var script = System.Text.RegularExpressions.Regex.Match(page, "src=\"(/dashboard/assets/[^\"]+\\.js)\"").Groups[1].Value;
        Assert.NotEmpty(script);

        using var response = await silo.Http.GetAsync(script);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());

        using var again = new HttpRequestMessage(HttpMethod.Get, script);
        again.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(response.Headers.ETag!.ToString()));
        using var revalidated = await silo.Http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
    }

    [Fact]
    public async Task An_unknown_dashboard_file_is_a_404_problem()
    {
        using var response = await silo.Http.GetAsync("/dashboard/assets/nope.js");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"code\":\"not_found\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
