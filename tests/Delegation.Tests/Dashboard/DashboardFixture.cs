using System.Net;
using System.Net.Http.Json;
using Delegation.Client;
using Delegation.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Delegation.Tests.Dashboard;

/// <summary>
/// The real silo on Kestrel at a free loopback port (memory store, known keys) and one headless Debian Chromium
/// driven by Playwright, shared by the dashboard tests of a class. Playwright's node driver ships in its NuGet
/// package, and Chromium comes from Debian, so nothing is downloaded.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    /// <summary>The silo's admin key.</summary>
    public const string AdminKey = "dashboard-tests-admin-key-0123456789";

    /// <summary>An issuer key, which the dashboard must refuse.</summary>
    public const string IssuerKey = "dashboard-tests-issuer-key-0123456789";

    /// <summary>Debian's Chromium (test.sh installs it).</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly string _dataDir = Directory.CreateTempSubdirectory("dashboard-tests-").FullName;
    private SiloFactory? _silo;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The silo's address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>A typed client with the admin key.</summary>
    public DelegationClient Admin { get; private set; } = null!;

    /// <summary>An HTTP client to the silo that sends no credential.</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>The silo's grain factory, for building big trees without a request per grant.</summary>
    public IGrainFactory Grains => _silo!.Services.GetRequiredService<IGrainFactory>();

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"The dashboard tests need Debian's Chromium at {ChromiumPath}: apt-get install -y chromium (./test.sh does it).");
        }

        _silo = new SiloFactory(_dataDir);
        _silo.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _silo.StartServer();
        var address = _silo.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        BaseAddress = new Uri(address);
        Http = new HttpClient { BaseAddress = BaseAddress };
        Admin = new DelegationClient(Http, AdminKey);

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
    }

    /// <summary>Waits until the batched decision log holds <paramref name="count"/> decisions of <paramref name="agent"/>.</summary>
    public async Task WaitForDecisionsAsync(string agent, int count)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/audit?agent={Uri.EscapeDataString(agent)}&limit=1000");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminKey);
            using var response = await Http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            var page = await response.Content.ReadFromJsonAsync(Delegation.Api.DelegationJsonContext.Default.AuditPage);
            if (page!.Items.Count >= count)
            {
                return;
            }

            Assert.True(attempt < 200, $"The decision log did not reach {count} decisions of {agent}.");
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// A fresh browser context (its own session storage) with one page, at a desktop size. <paramref name="bypassCsp"/>
    /// lets a test inject a script (the accessibility checker) past the page's content security policy.
    /// </summary>
    public async Task<IPage> NewPageAsync(int width = 1440, int height = 900, bool bypassCsp = false)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            DeviceScaleFactor = 1,
            Locale = "en-GB",
            TimezoneId = "UTC",
            BypassCSP = bypassCsp,
        });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        Http?.Dispose();
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        Directory.Delete(_dataDir, recursive: true);
    }

    private sealed class SiloFactory(string dataDir) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            // Never the default http://localhost:5080: another silo on this machine may hold it.
            builder.UseSetting("urls", "http://127.0.0.1:0");
            builder.UseSetting("Delegation:Store", "memory");
            foreach (var (key, value) in OrleansTestPorts.Settings())
            {
                builder.UseSetting(key, value);
            }

            builder.UseSetting("Delegation:DataDir", dataDir);
            builder.UseSetting("Delegation:AdminKey", AdminKey);
            builder.UseSetting("Delegation:IssuerKeys:0", IssuerKey);
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
        }
    }
}
