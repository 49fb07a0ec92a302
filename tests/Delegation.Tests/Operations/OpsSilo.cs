using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using Delegation.Client;
using Delegation.Grains.Audit;
using Delegation.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Delegation.Tests.Operations;

/// <summary>
/// The real silo (<c>Program</c>) behind the in-process test server, configured for the operations tests: a chosen
/// store, the <see cref="OpsKeys"/>, a fixed silo name, and optionally a manual clock and audit settings.
/// </summary>
public sealed class OpsSilo : WebApplicationFactory<Program>
{
    private readonly OpsSiloOptions _options;
    private readonly string? _ownedDataDir;
    private readonly Lazy<HttpClient> _http;

    /// <summary>A silo configured by <paramref name="options"/> (default: memory store, system clock).</summary>
    public OpsSilo(OpsSiloOptions? options = null)
    {
        _options = options ?? new OpsSiloOptions();
        if (_options.DataDir is null)
        {
            _ownedDataDir = Path.Combine(Path.GetTempPath(), "delegation-tests", "ops-" + Guid.NewGuid().ToString("N"));
        }

        DataDir = _options.DataDir ?? _ownedDataDir!;
        _http = new Lazy<HttpClient>(() => CreateClient());
    }

    /// <summary>The silo's data directory.</summary>
    public string DataDir { get; }

    /// <summary>One HTTP client to the silo; it sends no credential itself.</summary>
    public HttpClient Http => _http.Value;

    /// <summary>A typed client with the admin key.</summary>
    public DelegationClient Admin => As(OpsKeys.Admin);

    /// <summary>A typed client with the issuer key.</summary>
    public DelegationClient Issuer => As(OpsKeys.Issuer);

    /// <summary>A typed client with the enforcer key.</summary>
    public DelegationClient Enforcer => As(OpsKeys.Enforcer);

    /// <summary>A typed client sending <paramref name="credential"/> (a key or a grant token).</summary>
    public DelegationClient As(string credential) => new(Http, credential);

    /// <summary>A service of the silo.</summary>
    public T Service<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Writes every buffered decision to the decision log now.</summary>
    public Task FlushDecisionsAsync() => Service<DecisionRecorder>().FlushAsync();

    /// <summary>Sends a request with <paramref name="credential"/> (none when null) and an optional JSON body.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string? credential, string? json = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (credential is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        return await Http.SendAsync(request);
    }

    /// <summary>GETs <paramref name="url"/>, requires 200 and reads the body as <typeparamref name="T"/>.</summary>
    public async Task<T> GetJsonAsync<T>(string url, string credential, JsonTypeInfo<T> type)
    {
        using var response = await SendAsync(HttpMethod.Get, url, credential);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {url}: {(int)response.StatusCode} {body}");
        return System.Text.Json.JsonSerializer.Deserialize(body, type)!;
    }

    /// <summary>POSTs <paramref name="body"/> as JSON to <paramref name="url"/>, requires 200 and reads the answer.</summary>
    public async Task<TResponse> PostJsonAsync<TRequest, TResponse>(
        string url, string credential, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body, requestType) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {url}: {(int)response.StatusCode} {text}");
        return System.Text.Json.JsonSerializer.Deserialize(text, responseType)!;
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownedDataDir is not null && Directory.Exists(_ownedDataDir))
        {
            Directory.Delete(_ownedDataDir, recursive: true);
        }
    }

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Never the default http://localhost:5080: parallel silos must not claim a port.
        builder.UseSetting("urls", "http://127.0.0.1:0");
        builder.UseSetting("Delegation:Store", _options.Store);
        foreach (var (key, value) in OrleansTestPorts.Settings())
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Delegation:DataDir", DataDir);
        if (_options.Redis is { } redis)
        {
            builder.UseSetting("ConnectionStrings:Redis", redis.Configuration);
            builder.UseSetting("Delegation:Redis:KeyPrefix", redis.KeyPrefix);

            // A Redis-store silo is a member of the cluster whose membership is on that Redis: a cluster of one here.
            builder.UseSetting("Delegation:Cluster", "redis");
            builder.UseSetting("Delegation:Orleans:ClusterId", redis.KeyPrefix);
            builder.UseSetting("Delegation:Orleans:AdvertisedAddress", "127.0.0.1");
        }

        if (_options.PostgresConnectionString is { } connectionString)
        {
            builder.UseSetting("ConnectionStrings:Postgres", connectionString);
        }

        builder.UseSetting("Delegation:AdminKey", OpsKeys.Admin);
        builder.UseSetting("Delegation:IssuerKeys:0", OpsKeys.Issuer);
        builder.UseSetting("Delegation:EnforcerKeys:0", OpsKeys.Enforcer);
        builder.UseSetting("Delegation:SiloName", OpsKeys.SiloName);
        builder.UseSetting("Delegation:FeedHeartbeatInterval", "00:00:00.200");
        builder.UseSetting("Delegation:Audit:FlushInterval", _options.FlushInterval.ToString("c", CultureInfo.InvariantCulture));
        if (_options.AllowSampleRate is { } rate)
        {
            builder.UseSetting("Delegation:Audit:AllowSampleRate", rate.ToString(CultureInfo.InvariantCulture));
        }

        if (_options.BufferCapacity is { } capacity)
        {
            builder.UseSetting("Delegation:Audit:BufferCapacity", capacity.ToString(CultureInfo.InvariantCulture));
        }

        if (_options.MaxStreamsPerKey is { } streams)
        {
            builder.UseSetting("Delegation:Enforcers:MaxStreamsPerKey", streams.ToString(CultureInfo.InvariantCulture));
        }

        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureTestServices(services =>
        {
            if (_options.Time is { } time)
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton(time);
            }

        });
    }
}
