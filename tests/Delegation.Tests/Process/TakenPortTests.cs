using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Process;

/// <summary>A silo whose port is taken says so in one line and exits non-zero, before it generates or writes anything.</summary>
public sealed class TakenPortTests
{
    [Fact]
    public async Task A_taken_http_port_fails_with_one_clear_line_before_any_admin_key_is_generated()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)holder.LocalEndpoint).Port}";

        var (exitCode, lines, workDir) = await RunSiloAsync(["--urls", url], OrleansTestPorts.Settings("__"));

        using (workDir)
        {
            Assert.NotEqual(0, exitCode);
            var line = Assert.Single(lines);
            Assert.Contains(url, line, StringComparison.Ordinal);
            Assert.Contains("in use", line, StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(workDir.Path, "data")), "Nothing is generated or written before the ports are known to be free.");
        }
    }

    [Fact]
    public async Task A_taken_orleans_port_fails_with_one_clear_line_naming_the_setting()
    {
        using var holder = new TcpListener(IPAddress.Any, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
        var settings = new Dictionary<string, string>(OrleansTestPorts.Settings("__")) { ["Delegation__Orleans__SiloPort"] = port };
        using var free = new TcpListener(IPAddress.Loopback, 0);
        free.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)free.LocalEndpoint).Port}";
        free.Stop();

        var (exitCode, lines, workDir) = await RunSiloAsync(["--urls", url], settings);

        using (workDir)
        {
            Assert.NotEqual(0, exitCode);
            var line = Assert.Single(lines);
            Assert.Contains("Delegation:Orleans:SiloPort", line, StringComparison.Ordinal);
            Assert.Contains(port, line, StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(workDir.Path, "data")));
        }
    }

    private static async Task<(int ExitCode, IReadOnlyList<string> Lines, TempDirectory WorkDir)> RunSiloAsync(
        IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var workDir = new TempDirectory("taken-port");
        var start = new ProcessStartInfo("dotnet", [SiloProcess.SiloDll, .. args])
        {
            WorkingDirectory = workDir.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Delegation", StringComparison.OrdinalIgnoreCase) || k.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The silo kept running on a taken port.");
        }

        var lines = ((await stdout) + (await stderr)).Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
        return (process.ExitCode, lines, workDir);
    }
}
