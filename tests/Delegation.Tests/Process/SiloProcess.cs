using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Delegation.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Delegation.Tests.Process;

/// <summary>
/// The real silo as a child process (<c>dotnet Delegation.Silo.dll</c> from the silo project's build output) on a
/// free loopback port. Disposing it kills it and its children if it still runs.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(60);
    private readonly System.Diagnostics.Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _outputGate = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SiloProcess(System.Diagnostics.Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The silo's address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>A client to the silo (no credential of its own).</summary>
    public HttpClient Http { get; }

    /// <summary>From process start to the first successful <c>/healthz</c>.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>Everything the silo wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_outputGate)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The silo assembly of the same configuration as this test assembly.</summary>
    public static string SiloDll { get; } = FindSiloDll();

    /// <summary>
    /// Starts the silo in <paramref name="workingDirectory"/> with only <c>--urls</c> and <paramref name="environment"/>
    /// (any <c>Delegation__*</c> or <c>ASPNETCORE_*</c> variable of this process is left out), and waits until it answers
    /// <c>/healthz</c>.
    /// </summary>
    public static async Task<SiloProcess> StartAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment = null, ITestOutputHelper? log = null)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort()}/");
        var start = new ProcessStartInfo(DotnetHost(), [SiloDll, "--urls", baseAddress.ToString().TrimEnd('/')])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var key in start.Environment.Keys.Where(IsSiloSetting).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in OrleansTestPorts.Settings("__").Concat(environment ?? new Dictionary<string, string>()))
        {
            start.Environment[key] = value;
        }

        var stopwatch = Stopwatch.StartNew();
        var process = new System.Diagnostics.Process { StartInfo = start, EnableRaisingEvents = true };
        var silo = new SiloProcess(process, baseAddress);
        process.OutputDataReceived += (_, e) => silo.Append(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Append(e.Data);
        process.Exited += (_, _) => silo._exited.TrySetResult();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await silo.WaitUntilHealthyAsync();
        }
        catch
        {
            log?.WriteLine(silo.Output);
            await silo.DisposeAsync();
            throw;
        }

        silo.StartupTime = stopwatch.Elapsed;
        log?.WriteLine($"Silo pid {process.Id} on {baseAddress} answered /healthz {silo.StartupTime.TotalMilliseconds:F0} ms after start.");
        return silo;
    }

    /// <summary>SIGKILL for the silo and every process it started: nothing gets to flush or settle.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                await KillAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Never started, or already reaped.
        }

        Http.Dispose();
        _process.Dispose();
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var bound = new CancellationTokenSource(StartBound);

        // Kestrel logs this line once it accepts connections; an exit first means start-up failed.
        var first = await Task.WhenAny(_listening.Task, _exited.Task).WaitAsync(bound.Token);
        if (first == _exited.Task)
        {
            throw new InvalidOperationException($"The silo exited with code {_process.ExitCode} before listening:{Environment.NewLine}{Output}");
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var response = await Http.GetAsync("healthz", bound.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (attempt < 20)
            {
                // Listening was logged a moment before the socket accepts; ask again.
            }

            await Task.Yield();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputGate)
        {
            _output.AppendLine(line);
        }

        if (line.Contains("Now listening on", StringComparison.Ordinal))
        {
            _listening.TrySetResult();
        }
    }

    private static bool IsSiloSetting(string key) =>
        key.StartsWith("Delegation", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
        || key.Equals("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase);

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindSiloDll()
    {
        // Tests run from tests/Delegation.Tests/bin/<Configuration>/<tfm>/; the silo builds to silo/bin/<Configuration>/<tfm>/.
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = output.Name;
        var configuration = output.Parent!.Name;
        var root = output;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Delegation.sln")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException($"No Delegation.sln above {AppContext.BaseDirectory}.");
        }

        var dll = Path.Combine(root.FullName, "silo", "bin", configuration, framework, "Delegation.Silo.dll");
        return File.Exists(dll)
            ? dll
            : throw new InvalidOperationException($"{dll} is missing: run 'dotnet build silo -c {configuration}' first.");
    }
}
