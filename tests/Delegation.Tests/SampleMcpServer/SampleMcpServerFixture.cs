using System.Net;
using System.Net.Sockets;
using Delegation.SampleMcpServer;
using Delegation.Tests.Enforcement;
using Delegation.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;

namespace Delegation.Tests.SampleMcpServer;

/// <summary>
/// A real silo, a recording payments API and the sample MCP server (<see cref="McpServerHost"/>) on Kestrel over
/// loopback, the server's enforcer following the silo over HTTP. Shared by the tests of a class; each test makes its own
/// grants and looks only at its own accounts' payments.
/// </summary>
public sealed class SampleMcpServerFixture : IAsyncLifetime
{
    private readonly TempDirectory _contentRoot = new("mcp");

    public TestSilo Silo { get; private set; } = null!;

    public RecordingPaymentsApi Payments { get; private set; } = null!;

    public McpServerHost Server { get; private set; } = null!;

    /// <summary>A plain HTTP client of the server, for what an MCP client does not show (status codes, headers).</summary>
    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Silo = await TestSilo.StartAsync();
        Payments = await RecordingPaymentsApi.StartAsync();
        var port = FreePort();
        Server = McpServerHost.Create(Builder(Settings(Silo.Url, Payments.Url, port), _contentRoot.Path));
        await Server.StartAsync();
        Http = new HttpClient { BaseAddress = Server.Url };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        await Payments.DisposeAsync();
        await Silo.DisposeAsync();
        _contentRoot.Dispose();
    }

    /// <summary>An MCP client of the server over Streamable HTTP (the SDK's own), sending <paramref name="token"/> as its bearer token.</summary>
    public async Task<McpClient> ConnectAsync(string? token)
    {
        var options = new HttpClientTransportOptions { Endpoint = Server.Resource, TransportMode = HttpTransportMode.StreamableHttp, Name = "tests" };
        if (token is not null)
        {
            options.AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token };
        }

        return await McpClient.CreateAsync(new HttpClientTransport(options));
    }

    /// <summary>
    /// Exchanges <paramref name="subjectToken"/> (a grant token) at the silo's token endpoint (RFC 8693) for a JWT access
    /// token for <paramref name="resource"/>, as an agent does before it calls the server; bound to
    /// <paramref name="dpop"/>'s key when given.
    /// </summary>
    public async Task<string> ExchangeAsync(string subjectToken, string resource, OAuth.DpopKey? dpop = null)
    {
        var endpoint = new Uri(Silo.Url, "oauth2/token");
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "urn:ietf:params:oauth:grant-type:token-exchange",
                ["subject_token"] = subjectToken,
                ["subject_token_type"] = "urn:ietf:params:oauth:token-type:access_token",
                ["resource"] = resource,
            }),
        };
        if (dpop is not null)
        {
            // RFC 9449: a proof on the token request binds the access token to the key (cnf.jkt).
            request.Headers.Add("DPoP", dpop.Proof("POST", endpoint.AbsoluteUri));
        }

        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        using var json = System.Text.Json.JsonDocument.Parse(body);
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>A server builder with <paramref name="settings"/> as its only configuration.</summary>
    public static WebApplicationBuilder Builder(IReadOnlyDictionary<string, string?> settings, string contentRoot)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = contentRoot });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        return builder;
    }

    /// <summary>The server on <paramref name="port"/> of 127.0.0.1 (its canonical URI names the port), following <paramref name="silo"/>.</summary>
    public static Dictionary<string, string?> Settings(Uri silo, Uri payments, int port) => new()
    {
        ["urls"] = $"http://127.0.0.1:{port}",
        ["McpServer:ResourceUri"] = $"http://127.0.0.1:{port}/mcp",
        ["McpServer:SiloUrl"] = silo.ToString(),
        ["McpServer:EnforcerKey"] = TestSilo.EnforcerKey,
        ["McpServer:EnforcerName"] = "sample-mcp-server-under-test",
        ["McpServer:PaymentsUrl"] = payments.ToString(),
    };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
