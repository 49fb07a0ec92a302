using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Delegation.Api;
using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Cluster;

using Process = System.Diagnostics.Process;

/// <summary>
/// A real silo process (<c>dotnet silo/bin/&lt;Configuration&gt;/net10.0/Delegation.Silo.dll</c>) on a free loopback
/// port, on the PostgreSQL or the Redis store (<see cref="ClusterStore"/>), with the known keys of <see cref="ClusterKeys"/>. Killed (SIGKILL) on dispose.
/// </summary>
public sealed class ClusterSilo : IAsyncDisposable
{
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _dataDir;
    private volatile bool _killed;

    private ClusterSilo(string name, Uri address, Process process, string dataDir, IReadOnlyDictionary<string, string> environment)
    {
        Name = name;
        Address = address;
        GatewayPort = int.Parse(environment["Delegation__Orleans__GatewayPort"], System.Globalization.CultureInfo.InvariantCulture);
        ClusterId = environment.GetValueOrDefault("Delegation__Orleans__ClusterId", "delegation");
        _process = process;
        _dataDir = dataDir;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ClusterKeys.Admin);
    }

    /// <summary>The silo's name (on its leases, decisions and enforcer streams).</summary>
    public string Name { get; }

    /// <summary>Where it listens.</summary>
    public Uri Address { get; }

    /// <summary>The port of its Orleans gateway (for Orleans clients) on 127.0.0.1.</summary>
    public int GatewayPort { get; }

    /// <summary>The Orleans cluster id it joined (the service id is the default, <c>delegation</c>).</summary>
    public string ClusterId { get; }

    /// <summary>A client that sends the admin key.</summary>
    public HttpClient Http { get; }

    /// <summary>The process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>True while the process runs and nobody has begun to kill it.</summary>
    public bool IsRunning => !_killed && !_process.HasExited;

    /// <summary>What the silo printed so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts a silo on the PostgreSQL database of <paramref name="connectionString"/> and waits until it answers <c>/healthz</c>.</summary>
    public static Task<ClusterSilo> StartAsync(string name, string connectionString, IReadOnlyDictionary<string, string>? settings = null) =>
        StartAsync(name, ClusterStore.Postgres(connectionString), settings);

    /// <summary>
    /// Starts a silo on <paramref name="store"/> with <paramref name="settings"/> (environment variables, applied last)
    /// and waits until it answers <c>/healthz</c>.
    /// </summary>
    public static async Task<ClusterSilo> StartAsync(string name, ClusterStore store, IReadOnlyDictionary<string, string>? settings = null)
    {
        var dll = SiloDll();
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}/");
        var dataDir = Directory.CreateTempSubdirectory("dlg-cluster-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataDir,
        };
        foreach (var arg in new[] { dll, "--urls", $"http://127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(arg);
        }

        // One Orleans cluster per test, on Redis membership: the silos of a test share one activation per tree.
        var environment = new Dictionary<string, string>(store.Environment)
        {
            ["Delegation__Orleans__AdvertisedAddress"] = "127.0.0.1",
            ["Delegation__AdminKey"] = ClusterKeys.Admin,
            ["Delegation__EnforcerKeys__0"] = ClusterKeys.Enforcer,
            ["Delegation__SiloName"] = name,
            ["Delegation__DataDir"] = dataDir,
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in OrleansTestPorts.Settings("__").Concat(settings ?? new Dictionary<string, string>()))
        {
            environment[key] = value;
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var silo = new ClusterSilo(name, address, process, dataDir, environment);
        process.OutputDataReceived += (_, e) => silo.Append(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await silo.WaitHealthyAsync();
        return silo;
    }

    /// <summary>kill -9: the process ends at once, settling nothing.</summary>
    public async Task KillAsync()
    {
        _killed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>Sends a JSON body and returns the response (the caller disposes it).</summary>
    public Task<HttpResponseMessage> PostAsync<T>(string path, T body, JsonTypeInfo<T> type, string? credential = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent(body, type) };
        if (credential is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        }

        return Http.SendAsync(request);
    }

    /// <summary>Posts and reads a successful JSON answer; fails the test with the problem otherwise.</summary>
    public async Task<TResult> PostOkAsync<T, TResult>(string path, T body, JsonTypeInfo<T> type, JsonTypeInfo<TResult> resultType)
    {
        using var response = await PostAsync(path, body, type);
        return await ReadOkAsync(response, resultType);
    }

    /// <summary>GETs a JSON answer; fails the test with the problem otherwise.</summary>
    public async Task<T> GetOkAsync<T>(string path, JsonTypeInfo<T> type)
    {
        using var response = await Http.GetAsync(path);
        return await ReadOkAsync(response, type);
    }

    /// <summary>Creates a root grant through this silo.</summary>
    public Task<GrantCreatedResponse> CreateRootAsync(string user, string agent, long? budget, long ttlSeconds = 3600) =>
        PostOkAsync(
            "/v1/grants",
            new CreateGrantRequest(user, agent, ["tickets:*"], budget, TtlSeconds: ttlSeconds),
            DelegationJsonContext.Default.CreateGrantRequest,
            DelegationJsonContext.Default.GrantCreatedResponse);

    /// <summary>Delegates under <paramref name="parentId"/> through this silo.</summary>
    public Task<HttpResponseMessage> DelegateAsync(string parentId, string agent, long? budget, long ttlSeconds = 1800) =>
        PostAsync(
            $"/v1/grants/{parentId}/delegations",
            new DelegateRequest(agent, ["tickets:read"], budget, TtlSeconds: ttlSeconds),
            DelegationJsonContext.Default.DelegateRequest);

    /// <summary>Checks through this silo (as the enforcer key) and returns the response.</summary>
    public Task<HttpResponseMessage> CheckAsync(string token, long cost = 0) =>
        PostAsync(
            "/v1/check",
            new CheckRequest(token, null, "tickets:read", "projects/1", cost == 0 ? null : cost),
            DelegationJsonContext.Default.CheckRequest,
            ClusterKeys.Enforcer);

    /// <summary>Checks and reads the answer, which must be a 200.</summary>
    public async Task<CheckResponse> CheckOkAsync(string token, long cost = 0)
    {
        using var response = await CheckAsync(token, cost);
        return await ReadOkAsync(response, DelegationJsonContext.Default.CheckResponse);
    }

    /// <summary>The grant as this silo sees it.</summary>
    public Task<GrantView> GetGrantAsync(string id) => GetOkAsync($"/v1/grants/{id}", DelegationJsonContext.Default.GrantView);

    /// <summary>Reads a 2xx JSON answer, or fails with what the silo said.</summary>
    public static async Task<T> ReadOkAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {response.RequestMessage?.RequestUri}: {text}");
        return JsonSerializer.Deserialize(text, type)!;
    }

    /// <summary>Reads a problem answer and returns its status and code.</summary>
    public static async Task<(HttpStatusCode Status, string? Code)> ReadProblemAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return (response.StatusCode, null);
        }

        return (response.StatusCode, JsonSerializer.Deserialize(text, DelegationJsonContext.Default.ProblemResponse)!.Code);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await KillAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // A temporary directory left behind is harmless.
        }
    }

    private static StringContent JsonContent<T>(T body, JsonTypeInfo<T> type) =>
        new(JsonSerializer.Serialize(body, type), Encoding.UTF8, "application/json");

    private async Task WaitHealthyAsync()
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < StartPatience)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Silo {Name} exited with {_process.ExitCode} at start:\n{Output}");
            }

            try
            {
                using var response = await Http.GetAsync("/healthz");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100); // polling a starting process; bounded by StartPatience
        }

        throw new TimeoutException($"Silo {Name} did not answer /healthz within {StartPatience}:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The silo built beside these tests: same configuration (Debug or Release).</summary>
    private static string SiloDll()
    {
        var baseDir = AppContext.BaseDirectory;
        var parts = baseDir.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        var bin = Array.LastIndexOf(parts, "bin");
        var configuration = bin >= 0 && bin + 1 < parts.Length ? parts[bin + 1] : "Release";
        var dir = new DirectoryInfo(baseDir);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Delegation.sln")))
        {
            dir = dir.Parent;
        }

        var dll = Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Delegation.sln not found above " + baseDir),
            "silo", "bin", configuration, "net10.0", "Delegation.Silo.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build the silo first (dotnet build -c {configuration}).", dll);
    }
}
