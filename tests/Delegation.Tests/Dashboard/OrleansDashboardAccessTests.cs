using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Delegation.Api;
using Delegation.Silo.Dashboard.OrleansAccess;
using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Dashboard;

/// <summary>
/// The Orleans dashboard at <c>/orleans</c> through the real silo's HTTP pipeline: closed to all but the admin, who
/// comes with the admin key or with a session cookie from <c>/v1/dashboard/session</c>.
/// </summary>
public sealed class OrleansDashboardAccessTests(OrleansDashboardSilo silo) : IClassFixture<OrleansDashboardSilo>
{
    private const string SessionPath = "/v1/dashboard/session";

    public static TheoryData<string> DashboardPaths =>
    [
        "/orleans", "/orleans/", "/orleans/index.html", "/orleans/index.min.js", "/orleans/index.css", "/orleans/favicon.ico",
        "/orleans/version", "/orleans/DashboardCounters", "/orleans/ClusterStats", "/orleans/GrainTypes", "/orleans/Trace",
        "/orleans/no-such-file", "/ORLEANS/version",
    ];

    [Theory]
    [MemberData(nameof(DashboardPaths))]
    public async Task Every_request_under_orleans_without_a_credential_is_a_401_problem(string path)
    {
        using var http = silo.NewClient();

        using var response = await http.GetAsync(path);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_browser_navigating_to_orleans_without_a_session_gets_the_401_problem_too()
    {
        using var http = silo.NewClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/orleans/");
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8");

        using var response = await http.SendAsync(request);

        var body = await AssertProblemAsync(response, HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        Assert.Contains("/dashboard", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TestKeys.Issuer)]
    [InlineData(TestKeys.Enforcer)]
    public async Task Issuer_and_enforcer_keys_are_refused(string key)
    {
        using var http = silo.NewClient();

        using var page = await http.SendAsync(Get("/orleans/", bearer: key));
        using var counters = await http.SendAsync(Get("/orleans/DashboardCounters", bearer: key));
        using var session = await http.SendAsync(Send(HttpMethod.Post, SessionPath, bearer: key));

        await AssertProblemAsync(page, HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await AssertProblemAsync(counters, HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await AssertProblemAsync(session, HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        Assert.False(session.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task A_wrong_key_is_refused_and_starts_no_session()
    {
        using var http = silo.NewClient();

        using var page = await http.SendAsync(Get("/orleans/", bearer: "not-a-key-of-this-silo-0000"));
        using var anonymous = await http.PostAsync(SessionPath, null);

        await AssertProblemAsync(page, HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        await AssertProblemAsync(anonymous, HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        Assert.False(anonymous.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task A_forged_or_malformed_cookie_is_refused()
    {
        using var http = silo.NewClient();
        string[] forged =
        [
            Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)),
            new('A', 43),
            "",
            "not-a-session",
            "!!not+base64url!!not+base64url!!not+base64u",
            Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(64)),
        ];

        foreach (var value in forged)
        {
            using var response = await http.SendAsync(Get("/orleans/", cookie: value));
            await AssertProblemAsync(response, HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        }
    }

    [Theory]
    [InlineData("/orleans/", "text/html")]
    [InlineData("/orleans/index.min.js", "text/javascript")]
    [InlineData("/orleans/version", "application/json")]
    [InlineData("/orleans/DashboardCounters", "application/json")]
    public async Task The_admin_key_as_bearer_opens_the_Orleans_dashboard(string path, string mediaType)
    {
        using var http = silo.NewClient();

        using var response = await http.SendAsync(Get(path, bearer: TestKeys.Admin));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_Orleans_dashboard_keeps_its_trace_of_the_silo_log_off_even_for_the_admin()
    {
        using var http = silo.NewClient();

        using var response = await http.SendAsync(Get("/orleans/Trace", bearer: TestKeys.Admin));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task The_session_endpoint_sets_a_strict_http_only_cookie_scoped_to_orleans_that_opens_the_dashboard()
    {
        using var http = silo.NewClient();

        var cookie = await StartSessionAsync(http);

        Assert.Equal(43, cookie.Value.Length);
        Assert.Equal("/orleans", cookie.Attributes["path"]);
        Assert.Equal("strict", cookie.Attributes["samesite"]);
        Assert.True(cookie.Attributes.ContainsKey("httponly"));
        Assert.False(cookie.Attributes.ContainsKey("secure"), "Over plain http the cookie cannot be Secure.");
        Assert.Equal("28800", cookie.Attributes["max-age"]);
        using var page = await http.SendAsync(Get("/orleans/", cookie: cookie.Value));
        using var counters = await http.SendAsync(Get("/orleans/DashboardCounters", cookie: cookie.Value));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<title>Orleans Dashboard</title>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, counters.StatusCode);
        Assert.Equal("application/json", counters.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Over_https_the_session_cookie_is_secure()
    {
        using var http = silo.NewClient(https: true);

        var cookie = await StartSessionAsync(http);

        Assert.True(cookie.Attributes.ContainsKey("secure"));
        using var page = await http.SendAsync(Get("/orleans/", cookie: cookie.Value));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task Each_session_has_its_own_random_token()
    {
        using var http = silo.NewClient();

        var first = await StartSessionAsync(http);
        var second = await StartSessionAsync(http);

        Assert.NotEqual(first.Value, second.Value);
    }

    [Fact]
    public async Task A_session_expires_after_eight_hours()
    {
        using var http = silo.NewClient();
        var cookie = await StartSessionAsync(http);

        silo.Clock.Advance(TimeSpan.FromHours(8) - TimeSpan.FromSeconds(1));
        using var before = await http.SendAsync(Get("/orleans/version", cookie: cookie.Value));
        silo.Clock.Advance(TimeSpan.FromSeconds(1));
        using var after = await http.SendAsync(Get("/orleans/version", cookie: cookie.Value));

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        await AssertProblemAsync(after, HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }

    [Fact]
    public async Task Signing_out_ends_every_session_and_deletes_the_cookie()
    {
        using var http = silo.NewClient();
        var first = await StartSessionAsync(http);
        var second = await StartSessionAsync(http);

        using var anonymous = await http.SendAsync(Send(HttpMethod.Delete, SessionPath));
        using var issuer = await http.SendAsync(Send(HttpMethod.Delete, SessionPath, bearer: TestKeys.Issuer));
        using var stillOpen = await http.SendAsync(Get("/orleans/version", cookie: first.Value));
        using var signOut = await http.SendAsync(Send(HttpMethod.Delete, SessionPath, bearer: TestKeys.Admin));

        await AssertProblemAsync(anonymous, HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        await AssertProblemAsync(issuer, HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        Assert.Equal(HttpStatusCode.OK, stillOpen.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        var deleted = SetCookie.Parse(signOut);
        Assert.Equal("", deleted.Value);
        Assert.Equal("/orleans", deleted.Attributes["path"]);
        Assert.Contains("1970", deleted.Attributes["expires"], StringComparison.Ordinal);
        foreach (var cookie in new[] { first, second })
        {
            using var response = await http.SendAsync(Get("/orleans/version", cookie: cookie.Value));
            await AssertProblemAsync(response, HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        }
    }

    [Fact]
    public async Task The_session_cookie_opens_only_the_Orleans_dashboard_not_the_api()
    {
        using var http = silo.NewClient();
        var cookie = await StartSessionAsync(http);

        using var response = await http.SendAsync(Get("/v1/stats", cookie: cookie.Value));

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }

    private static async Task<SetCookie> StartSessionAsync(HttpClient http)
    {
        using var response = await http.SendAsync(Send(HttpMethod.Post, SessionPath, bearer: TestKeys.Admin));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return SetCookie.Parse(response);
    }

    private static HttpRequestMessage Get(string path, string? bearer = null, string? cookie = null) =>
        Send(HttpMethod.Get, path, bearer, cookie);

    private static HttpRequestMessage Send(HttpMethod method, string path, string? bearer = null, string? cookie = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (cookie is not null)
        {
            request.Headers.Add("Cookie", $"{OrleansDashboardApi.CookieName}={cookie}");
        }

        return request;
    }

    private static async Task<string> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"\"code\":\"{code}\"", body, StringComparison.Ordinal);
        return body;
    }

    /// <summary>The one Set-Cookie header of a response: its value and its attributes (names in lower case).</summary>
    private sealed record SetCookie(string Value, IReadOnlyDictionary<string, string> Attributes)
    {
        public static SetCookie Parse(HttpResponseMessage response)
        {
            var header = Assert.Single(response.Headers.GetValues("Set-Cookie"));
            var parts = header.Split(';', StringSplitOptions.TrimEntries);
            var (name, value) = Split(parts[0]);
            Assert.Equal(OrleansDashboardApi.CookieName, name);
            return new SetCookie(value, parts.Skip(1).Select(Split).ToDictionary(p => p.Name.ToLowerInvariant(), p => p.Value));
        }

        private static (string Name, string Value) Split(string part) =>
            part.IndexOf('=', StringComparison.Ordinal) is var at and >= 0 ? (part[..at], part[(at + 1)..]) : (part, "");
    }
}
