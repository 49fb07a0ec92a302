using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Process;

/// <summary>
/// A silo started without any settings file (a copied binary) logs its start-up, not its requests; request logging
/// is opt-in.
/// </summary>
public sealed class QuietLoggingTests
{
    private const string AdminKey = "quiet-logging-admin-key-0123456789";
    private const int Requests = 30;

    [Fact]
    public async Task Without_a_settings_file_requests_are_not_logged()
    {
        var output = await RunAndLoadAsync();

        Assert.DoesNotContain("Microsoft.AspNetCore", output, StringComparison.Ordinal);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length < 20, $"{lines.Length} lines for {Requests} requests:\n{output}");
    }

    [Fact]
    public async Task Request_logging_is_one_setting_away()
    {
        var output = await RunAndLoadAsync("--Delegation:LogRequests", "true");

        Assert.Contains("Request starting", output, StringComparison.Ordinal);
    }

    private static async Task<string> RunAndLoadAsync(params string[] args)
    {
        using var bin = new TempDirectory("quiet-logging-bin");
        using var work = new TempDirectory("quiet-logging-work");
        CopyWithoutSettings(Path.GetDirectoryName(SiloProcess.SiloDll)!, bin.Path);
        var url = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo("dotnet", [Path.Combine(bin.Path, Path.GetFileName(SiloProcess.SiloDll)), "--urls", url, .. args])
        {
            WorkingDirectory = work.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Delegation", StringComparison.OrdinalIgnoreCase) || k.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) || k.StartsWith("Logging", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in OrleansTestPorts.Settings("__"))
        {
            start.Environment[key] = value;
        }

        start.Environment["Delegation__Store"] = "memory";
        start.Environment["Delegation__AdminKey"] = AdminKey;
        var output = new StringBuilder();
        using var process = new System.Diagnostics.Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            await WaitUntilHealthyAsync(http, process);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
            for (var i = 0; i < Requests; i++)
            {
                using var response = await http.GetAsync(i % 2 == 0 ? "/v1/stats" : "/v1/grants?agent=nobody");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        lock (output)
        {
            return output.ToString();
        }
    }

    private static async Task WaitUntilHealthyAsync(HttpClient http, System.Diagnostics.Process process)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(60) && !process.HasExited)
        {
            try
            {
                using var response = await http.GetAsync("/healthz");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("The silo did not become healthy.");
    }

    private static void CopyWithoutSettings(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (Path.GetFileName(file).StartsWith("appsettings", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, relative))!);
            File.Copy(file, Path.Combine(to, relative));
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
