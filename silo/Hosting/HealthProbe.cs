namespace Delegation.Silo.Hosting;

/// <summary>
/// <c>Delegation.Silo --healthcheck &lt;url&gt;</c>: a container health check that needs no curl in the image.
/// Exits 0 when the URL answers 2xx within three seconds, 1 otherwise.
/// </summary>
public static class HealthProbe
{
    /// <summary>True (with the exit code) when the arguments ask for a probe rather than a silo.</summary>
    public static bool TryRun(string[] args, out int exitCode)
    {
        exitCode = 0;
        if (args.Length != 2 || args[0] != "--healthcheck")
        {
            return false;
        }

        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
            using var response = http.GetAsync(new Uri(args[1])).GetAwaiter().GetResult();
            exitCode = response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            exitCode = 1;
        }

        return true;
    }
}
