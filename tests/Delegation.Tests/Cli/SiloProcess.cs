using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Cli;

/// <summary>
/// A real silo process on a free loopback port, with the memory store and known keys, shared by the CLI tests.
/// Started once; killed (with anything it started) on dispose.
/// </summary>
public sealed class SiloProcess : IAsyncLifetime
{
    public const string AdminKey = "cli-test-admin-key-0123456789";
    public const string IssuerKey = "cli-test-issuer-key-0123456789";
    public const string EnforcerKey = "cli-test-enforcer-key-0123456789";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly ConcurrentQueue<string> _output = new();
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "delegation-cli-tests-" + Guid.NewGuid().ToString("N"));
    private System.Diagnostics.Process? _process;

    /// <summary>The silo's base URL, e.g. http://127.0.0.1:43127.</summary>
    public string Url { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dataDir);
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo(RepositoryPaths.DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _dataDir,
        };
        start.ArgumentList.Add(RepositoryPaths.SiloDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(Url);
        start.Environment["Delegation__Store"] = "memory";
        foreach (var (key, value) in OrleansTestPorts.Settings("__"))
        {
            start.Environment[key] = value;
        }

        start.Environment["Delegation__DataDir"] = _dataDir;
        start.Environment["Delegation__AdminKey"] = AdminKey;
        start.Environment["Delegation__IssuerKeys__0"] = IssuerKey;
        start.Environment["Delegation__EnforcerKeys__0"] = EnforcerKey;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        _process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("The silo did not start.");

        // Drained continuously: a full pipe would block the silo. Kept for the failure message.
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilHealthyAsync();
    }

    public Task DisposeAsync()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }

            process.Dispose();
        }

        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }

        return Task.CompletedTask;
    }

    /// <summary>What the silo printed lately, for failure messages.</summary>
    public string RecentOutput => string.Join(Environment.NewLine, _output);

    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"The silo exited with {_process.ExitCode} before it was healthy:{Environment.NewLine}{RecentOutput}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Url + "/healthz"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        throw new TimeoutException($"The silo was not healthy within {StartTimeout.TotalSeconds} s:{Environment.NewLine}{RecentOutput}");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 200 && _output.TryDequeue(out _))
        {
        }
    }

    /// <summary>A loopback port nobody listens on right now.</summary>
    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
