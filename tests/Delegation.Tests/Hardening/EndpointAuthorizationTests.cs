using Delegation.Api;
using Delegation.Silo.Api;
using Delegation.Silo.Hosting;
using Delegation.Tests.Api;
using Delegation.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Delegation.Tests.Hardening;

/// <summary>
/// Closed by default: every endpoint of the real silo says who may call it (a policy, or explicitly anonymous), and an
/// endpoint that says nothing is refused by the fallback policy, even to the admin.
/// </summary>
public sealed class EndpointAuthorizationTests
{
    [Fact]
    public async Task Every_endpoint_of_the_silo_declares_a_policy_or_is_explicitly_anonymous()
    {
        await using var silo = new SiloFactory();
        var endpoints = silo.Services.GetRequiredService<EndpointDataSource>().Endpoints;

        var undeclared = endpoints.Where(e => !Declares(e)).Select(e => e.DisplayName).ToList();
        var anonymous = endpoints.OfType<RouteEndpoint>().Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            .Select(e => e.RoutePattern.RawText).ToHashSet();

        Assert.True(endpoints.Count > 20, $"Only {endpoints.Count} endpoints were found: is this the whole silo?");
        Assert.Empty(undeclared);
        Assert.Equal(
            [
                "/.well-known/jwks.json", "/.well-known/oauth-authorization-server", "/dashboard", "/dashboard/{**path}", "/healthz",
                "/oauth2/introspect", "/oauth2/revoke", "/oauth2/token", "/readyz", "{*path}",
            ],
            anonymous.Order(StringComparer.Ordinal));

        // The OAuth endpoints are anonymous to the policies only because they authenticate their clients by the RFCs' rules.
        var selfAuthenticating = endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Delegation.Silo.OAuth.OAuthClientAuthenticationMetadata>() is not null)
            .Select(e => e.RoutePattern.RawText).Order(StringComparer.Ordinal);
        Assert.Equal(["/oauth2/introspect", "/oauth2/revoke", "/oauth2/token"], selfAuthenticating);
    }

    [Fact]
    public async Task An_endpoint_that_declares_nobody_is_refused_by_the_fallback_policy_even_to_the_admin()
    {
        await using var app = await StartSiloWithAnUndeclaredEndpointAsync();
        using var http = app.GetTestClient();

        using var anonymous = await http.GetAsync("/v1/undeclared");
        using var admin = await SendAsync(http, "/v1/undeclared", TestKeys.Admin);
        using var issuer = await SendAsync(http, "/v1/undeclared", TestKeys.Issuer);
        using var declared = await SendAsync(http, "/v1/stats", TestKeys.Admin);

        await ProblemAssert.IsAsync(anonymous, 401, ErrorCodes.Unauthorized);
        var refused = await ProblemAssert.IsAsync(admin, 403, ErrorCodes.Forbidden);
        await ProblemAssert.IsAsync(issuer, 403, ErrorCodes.Forbidden);
        Assert.Contains("does not declare who may call it", refused.Detail, StringComparison.Ordinal);
        Assert.Equal(200, (int)declared.StatusCode);
    }

    private static bool Declares(Endpoint endpoint) =>
        endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null
        || endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Count > 0
        || endpoint.Metadata.GetMetadata<AuthorizationPolicy>() is not null;

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, string path, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
        return await http.SendAsync(request);
    }

    // The silo as Program builds it, plus one endpoint mapped the way a forgetful change would map it.
    private static async Task<UndeclaredSilo> StartSiloWithAnUndeclaredEndpointAsync()
    {
        var dataDir = new TempDirectory("undeclared");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(OrleansTestPorts.Settings().Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
        {
            ["Delegation:Store"] = "memory",
            ["Delegation:DataDir"] = dataDir.Path,
            ["Delegation:AdminKey"] = TestKeys.Admin,
            ["Delegation:IssuerKeys:0"] = TestKeys.Issuer,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddDelegationSilo();
        var app = builder.Build();
        app.MapGet("/v1/undeclared", () => "this should never be answered");
        app.MapDelegationApi();
        await app.StartAsync();
        return new UndeclaredSilo(app, dataDir);
    }

    private sealed class UndeclaredSilo(WebApplication app, TempDirectory dataDir) : IAsyncDisposable
    {
        public HttpClient GetTestClient() => app.GetTestClient();

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
            dataDir.Dispose();
        }
    }
}
