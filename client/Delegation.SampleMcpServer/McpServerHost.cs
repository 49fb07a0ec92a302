using Delegation.SampleMcpServer.Configuration;
using Delegation.SampleMcpServer.Grants;
using Delegation.SampleMcpServer.Metadata;
using Delegation.SampleMcpServer.Tools;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Server;

namespace Delegation.SampleMcpServer;

/// <summary>
/// The sample MCP server: tools on the MCP SDK's Streamable HTTP transport, each call checked against the agent's grant
/// by the delegation enforcer (<see cref="McpGrantMiddleware"/>), as the MCP authorization specification asks of a
/// resource server; optionally the demo payments API beside it.
/// </summary>
public sealed class McpServerHost : IAsyncDisposable
{
    private readonly WebApplication? _builtInPayments;

    private McpServerHost(WebApplication app, Uri resource, WebApplication? builtInPayments)
    {
        App = app;
        Resource = resource;
        _builtInPayments = builtInPayments;
    }

    /// <summary>The server's application.</summary>
    public WebApplication App { get; }

    /// <summary>The server's canonical URI: the MCP endpoint, and the audience its tokens must be issued for.</summary>
    public Uri Resource { get; }

    /// <summary>Where the server listens once started, e.g. <c>http://127.0.0.1:5086/</c>.</summary>
    public Uri Url =>
        new(App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");

    /// <summary>
    /// Builds the server from <paramref name="builder"/>'s configuration (section <c>McpServer</c>); throws
    /// <see cref="McpServerConfigurationException"/> listing every problem found.
    /// </summary>
    public static McpServerHost Create(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(ToolServerOptions.Section).Get<ToolServerOptions>() ?? new ToolServerOptions();
        var validation = new ToolServerOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw McpServerConfigurationException.Of([.. validation.Failures]);
        }

        var resource = new Uri(options.ResourceUri.Trim());
        AddEnforcer(builder, options, resource);
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<DocumentLibrary>();
        builder.Services.AddHttpClient(PaymentTools.PaymentsClient, c => c.BaseAddress = new Uri(options.PaymentsUrl.Trim().TrimEnd('/') + "/"));
        builder.Services
            .AddMcpServer(server => server.ServerInfo = new() { Name = "delegation-sample-mcp", Version = "1.0.0" })
            .WithHttpTransport(transport => transport.SessionMode = HttpServerSessionMode.Stateless)
            .WithTools<DocumentTools>()
            .WithTools<PaymentTools>()
            .WithRequestFilters(filters => filters.AddCallToolFilter(ToolCallGuard.Filter));
        builder.Services.AddSingleton(services =>
        {
            var requirements = ToolRequirements.Build(services.GetServices<McpServerTool>(), out var problems);
            return problems.Count == 0 ? requirements : throw McpServerConfigurationException.Of(problems);
        });

        var app = builder.Build();
        ToolRequirements tools;
        try
        {
            tools = app.Services.GetRequiredService<ToolRequirements>();
        }
        catch (McpServerConfigurationException)
        {
            ((IDisposable)app).Dispose();
            throw;
        }

        app.UseRouting();
        app.UseMiddleware<McpGrantMiddleware>();
        app.MapGet("/healthz", () => "ok");
        app.MapProtectedResourceMetadata(resource, ProtectedResourceMetadataEndpoints.Document(resource, options.Issuer(), tools.Actions));
        app.MapMcp(resource.AbsolutePath).WithMetadata(McpEndpointGrantMetadata.Instance);

        var payments = string.IsNullOrWhiteSpace(options.BuiltInPaymentsUrl) ? null : DemoPaymentsApi.Build(options.BuiltInPaymentsUrl);
        return new McpServerHost(app, resource, payments);
    }

    /// <summary>Starts the demo payments API (when configured) and the server.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_builtInPayments is not null)
        {
            await _builtInPayments.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        await App.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts, then runs until the host is asked to stop.</summary>
    public async Task RunAsync()
    {
        await StartAsync().ConfigureAwait(false);
        await App.WaitForShutdownAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync().ConfigureAwait(false);
        if (_builtInPayments is not null)
        {
            await _builtInPayments.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static void AddEnforcer(WebApplicationBuilder builder, ToolServerOptions options, Uri resource) =>
        builder.Services.AddAgentDelegation(
            enforcer =>
            {
                foreach (var url in options.SiloUrls())
                {
                    enforcer.SiloUrls.Add(new Uri(url));
                }

                enforcer.Credential = options.EnforcerKey;

                // JWT access tokens are accepted only when issued for this server (aud = its canonical URI), verified
                // against the authorization server's published keys; grant tokens, which name no audience, are not.
                enforcer.AccessTokens.Audience = resource.AbsoluteUri;
                enforcer.AccessTokens.Authority = new Uri(options.Issuer());
                if (!string.IsNullOrWhiteSpace(options.EnforcerName))
                {
                    enforcer.Name = options.EnforcerName;
                }
            },
            rules =>
            {
                rules.Realm = "mcp";
                rules.ResourceMetadataUrl = ProtectedResourceMetadataEndpoints.MetadataUrl(resource);
                rules.AcceptGrantTokens = false;
            });
}
