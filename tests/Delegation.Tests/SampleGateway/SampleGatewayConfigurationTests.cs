using System.Net;
using System.Net.Http.Headers;
using Delegation.SampleGateway;
using Delegation.SampleGateway.Configuration;
using Delegation.Tests.Enforcement;
using Delegation.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Delegation.Tests.SampleGateway;

/// <summary>The sample gateway refuses a configuration that cannot work, with every problem at once, and runs the shipped one.</summary>
public sealed class SampleGatewayConfigurationTests : IDisposable
{
    private static readonly Uri Nowhere = new("http://127.0.0.1:9/");
    private readonly TempDirectory _contentRoot = new("gateway-config");

    public void Dispose() => _contentRoot.Dispose();

    [Fact]
    public void Orleans_mode_reports_every_bad_gateway_endpoint_and_empty_cluster_ids_at_once()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:Mode"] = "orleans",
            ["Gateway:Orleans:Gateways"] = "silo-a:30000, silo-b, 127.0.0.1:99999",
            ["Gateway:Orleans:ClusterId"] = " ",
        };
        var error = Assert.Throws<GatewayConfigurationException>(() => Create(settings));

        Assert.Contains("'silo-b' is not host:port", error.Message, StringComparison.Ordinal);
        Assert.Contains("'127.0.0.1:99999' has no port between 1 and 65535", error.Message, StringComparison.Ordinal);
        Assert.Contains("Gateway:Orleans:ClusterId", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("silo-a:30000", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("EnforcerKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_of_the_gateway_section_is_reported_at_once()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:Mode"] = "grpc",
            ["Gateway:BuiltInUpstreamUrl"] = "http://10.1.2.3:5091",
        };
        var error = Assert.Throws<GatewayConfigurationException>(() => Create(settings));

        Assert.Contains("Gateway:Mode must be 'http' or 'orleans'; it is 'grpc'.", error.Message, StringComparison.Ordinal);
        Assert.Contains("Gateway:BuiltInUpstreamUrl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Http_mode_without_an_enforcer_key_says_which_key_to_set()
    {
        var settings = SampleGatewayFixture.Settings(Nowhere, Nowhere);
        settings["Gateway:EnforcerKey"] = "";
        var error = Assert.Throws<GatewayConfigurationException>(() => Create(settings));

        Assert.Contains("Set Gateway:EnforcerKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_route_without_a_valid_delegation_mapping_is_reported_at_once()
    {
        var settings = SampleGatewayFixture.Settings(Nowhere, Nowhere);
        settings["ReverseProxy:Routes:read:Metadata:Delegation.Action"] = null;
        settings["ReverseProxy:Routes:summarize:Metadata:Delegation.Cost"] = "ten";
        settings["ReverseProxy:Routes:token:Metadata:Delegation.Resource"] = "projects/{projct}/tickets/{rest}";
        var error = Assert.Throws<GatewayConfigurationException>(() => Create(settings));

        Assert.Contains("route 'read' has no Metadata \"Delegation.Action\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("route 'summarize': Delegation.Cost must be a whole number", error.Message, StringComparison.Ordinal);
        Assert.Contains("'{projct}', which is not a parameter of its path", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_shipped_configuration_serves_the_built_in_tickets_service()
    {
        await using var silo = await TestSilo.StartAsync();
        var upstreamPort = FreePort();
        var builder = SampleGatewayFixture.Builder(new Dictionary<string, string?>(), _contentRoot.Path);
        builder.Configuration.AddJsonFile(ShippedSettings(), optional: false);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:SiloUrl"] = silo.Url.ToString(),
            ["Gateway:EnforcerKey"] = TestSilo.EnforcerKey,
            ["Gateway:BuiltInUpstreamUrl"] = $"http://127.0.0.1:{upstreamPort}",
            ["ReverseProxy:Clusters:tickets:Destinations:built-in:Address"] = $"http://127.0.0.1:{upstreamPort}/",
        });
        await using var gateway = GatewayHost.Create(builder);
        await gateway.StartAsync();
        var grant = await silo.GrantAsync();
        using var http = new HttpClient { BaseAddress = gateway.Url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", grant.Token);

        using var ticket = await http.GetAsync("projects/42/tickets/7");
        Assert.Equal(HttpStatusCode.OK, ticket.StatusCode);
        Assert.Contains("\"title\":\"Printer on fire\"", await ticket.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private GatewayHost Create(Dictionary<string, string?> settings) =>
        GatewayHost.Create(SampleGatewayFixture.Builder(settings, _contentRoot.Path));

    private static string ShippedSettings()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Delegation.sln")))
        {
            directory = directory.Parent;
        }

        return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("Delegation.sln not found above the test output."), "client", "Delegation.SampleGateway", "appsettings.json");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
