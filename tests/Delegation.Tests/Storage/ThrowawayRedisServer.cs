using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Delegation.Tests.Storage;

/// <summary>
/// A redis-server process of a test's own, with the settings the test gives (a volatile one, one with a password),
/// on a free loopback port and in a directory of its own; killed (SIGKILL) and deleted at the end. Readiness is
/// the server's own "Ready to accept connections" line, waited for with a bound.
/// </summary>
internal sealed class ThrowawayRedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(15);

    private readonly string[] _settings;
    private readonly string _directory = Directory.CreateTempSubdirectory("delegation-redis-").FullName;
    private System.Diagnostics.Process? _process;

    private ThrowawayRedisServer(string[] settings) => _settings = settings;

    /// <summary>The port it listens on (kept across <see cref="RestartAsync"/>).</summary>
    public int Port { get; private set; }

    /// <summary><c>127.0.0.1:port</c>, the start of a StackExchange.Redis configuration string.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>
    /// Starts a server with <paramref name="settings"/> (redis-server's own <c>--name value</c> arguments) after
    /// <c>--port P --bind 127.0.0.1 --save "" --daemonize no</c>.
    /// </summary>
    public static async Task<ThrowawayRedisServer> StartAsync(params string[] settings)
    {
        var server = new ThrowawayRedisServer(settings);
        try
        {
            for (var attempt = 0; attempt < 5; attempt++)
            {
                server.Port = FreePort();
                if (await server.LaunchAsync())
                {
                    return server;
                }
            }
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        await server.DisposeAsync();
        throw new InvalidOperationException("Found no free port for a throwaway redis-server in five attempts.");
    }

    /// <summary>SIGKILL, as a crash: no shutdown, the append-only file as it stands. Returns once the process is gone.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Starts the server again on the same port, directory and settings (replaying its append-only file).</summary>
    public async Task RestartAsync()
    {
        await KillAsync();
        if (!await LaunchAsync())
        {
            throw new InvalidOperationException($"Port {Port} was taken while the throwaway redis-server was down.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Starts the process and waits until it is ready; false when its port was taken meanwhile.</summary>
    private async Task<bool> LaunchAsync()
    {
        var info = new ProcessStartInfo("redis-server")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                     "--save", "", "--daemonize", "no", "--dir", _directory, "--logfile", "", .. _settings])
        {
            info.ArgumentList.Add(argument);
        }

        var output = new ConcurrentQueue<string>();
        var ready = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new System.Diagnostics.Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetResult(false);
                return;
            }

            output.Enqueue(e.Data);
            if (e.Data.Contains("Ready to accept connections", StringComparison.Ordinal))
            {
                ready.TrySetResult(true);
            }
        };
        process.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? string.Empty);
        process.Exited += (_, _) => ready.TrySetResult(false);
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            throw new InvalidOperationException(
                "redis-server is not installed, so the Redis store tests cannot run: sudo apt-get update && sudo apt-get install -y redis-server", ex);
        }

        _process?.Dispose();
        _process = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (await ready.Task.WaitAsync(StartPatience))
        {
            return true;
        }

        await KillAsync();
        var log = string.Join(Environment.NewLine, output);
        return log.Contains("Address already in use", StringComparison.Ordinal)
            ? false
            : throw new InvalidOperationException($"The throwaway redis-server on port {Port} did not start:{Environment.NewLine}{log}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
